"""The board pack as PPTX (python-pptx): the same sections as the PDF, one slide each.

Each slide's title is the layout's title placeholder (what a screen reader and the outline read
as the slide title), and each chart picture carries its alternative text (the `descr` of the shape).
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from reports.board.charts import Chart
from reports.board.model import BoardData
from reports.board.tables import (
    course_rows,
    incomplete_line,
    kpi_rows,
    period_line,
    project_note,
    project_rows,
    quality_rows,
    summed_line,
    targets_line,
)
from reports.board.text import t

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x5B, 0x6B, 0x7B)
RED = RGBColor(0x7A, 0x15, 0x21)
FONT = "DejaVu Sans"


def _text(slide: Slide, text: str, left: Emu, top: Emu, width: Emu, height: Emu, *, size: int = 14,
          bold: bool = False, colour: RGBColor | None = None) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    if colour is not None:
        run.font.color.rgb = colour


TITLE_ONLY = 5  # the default template's "Title Only" layout


def _slide(deck: Presentation, title: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    heading = slide.shapes.title
    heading.left, heading.top, heading.width, heading.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.7)
    frame = heading.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    run = paragraph.add_run()
    run.text = title
    run.font.size, run.font.bold, run.font.name, run.font.color.rgb = Pt(26), True, FONT, BLUE
    return slide


def _table(slide: Slide, rows: list[list[str]], top: Emu, width: Emu, left: Emu = MARGIN, size: int = 12) -> None:
    shape = slide.shapes.add_table(len(rows), len(rows[0]), left, top, width, Inches(0.4) * len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = shape.table.cell(r, c)
            cell.text = value
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.RIGHT if c > 0 and r > 0 else PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size, run.font.name, run.font.bold = Pt(size), FONT, r == 0


def _picture(slide: Slide, chart: Chart, left: Emu, top: Emu, width: Emu, max_height: Emu) -> None:
    _text(slide, chart.title, left, top, width, Inches(0.4), size=13, bold=True)
    picture = slide.shapes.add_picture(str(chart.path), left, top + Inches(0.45), width=width)
    picture._element.nvPicPr.cNvPr.set("descr", chart.alt or chart.title)  # python-pptx has no API for it
    if picture.height > max_height:  # keep the aspect ratio, fit the height
        ratio = max_height / picture.height
        picture.height, picture.width = int(max_height), int(picture.width * ratio)


def write_pptx(data: BoardData, charts: dict[str, Chart], highlights: list[str], lang: str, out: Path) -> Path:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    inner = WIDTH - 2 * MARGIN
    half = int((inner - Inches(0.3)) / 2)
    project = data.targets.name_cs if lang == "cs" else data.targets.name_en

    slide = _slide(deck, t("title", lang))
    _text(slide, f"{data.targets.code} {project}\n{period_line(data, lang)}",
          MARGIN, Inches(1.0), inner, Inches(0.8), size=14, colour=GREY)
    incomplete = incomplete_line(data, lang)
    if incomplete:
        _text(slide, incomplete, MARGIN, Inches(1.75), inner, Inches(0.4), size=12, bold=True, colour=RED)
    _table(slide, kpi_rows(data, lang), Inches(2.2), inner)
    notes = (t("targets_note", lang), targets_line(data, lang), summed_line(data, lang))
    _text(slide, " ".join(filter(None, notes)),
          MARGIN, Inches(6.75), inner, Inches(0.6), size=10, colour=GREY)

    slide = _slide(deck, t("highlights", lang))
    frame = slide.shapes.add_textbox(MARGIN, Inches(1.2), inner, Inches(5.8)).text_frame
    frame.word_wrap = True
    for index, sentence in enumerate(highlights):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {sentence}"
        run.font.size, run.font.name = Pt(18), FONT
        paragraph.space_after = Pt(12)

    slide = _slide(deck, t("trend", lang))
    _picture(slide, charts["trend"], MARGIN, Inches(1.1), inner, Inches(5.7))
    if "project" in charts:
        slide = _slide(deck, t("project", lang))
        _picture(slide, charts["project"], MARGIN, Inches(1.0), half, Inches(5.0))
        rows = project_rows(data, lang)
        _table(slide, rows, Inches(1.2), half, left=MARGIN + half + Inches(0.3), size=10)
        _text(slide, " ".join(filter(None, (project_note(data, lang), targets_line(data, lang)))),
              MARGIN, Inches(6.4), inner, Inches(0.9), size=10, colour=GREY)
    for title_key, left_key, right_key in (("reach", "nationality", "district"), ("reach", "service", "outcomes")):
        slide = _slide(deck, t(title_key, lang))
        _picture(slide, charts[left_key], MARGIN, Inches(1.1), half, Inches(5.7))
        _picture(slide, charts[right_key], MARGIN + half + Inches(0.3), Inches(1.1), half, Inches(5.7))

    slide = _slide(deck, t("courses", lang))
    _table(slide, course_rows(data, lang), Inches(1.2), half, size=11)
    _picture(slide, charts["cefr"], MARGIN + half + Inches(0.3), Inches(1.1), half, Inches(5.7))

    slide = _slide(deck, t("quality", lang))
    _table(slide, quality_rows(data, lang), Inches(1.2), inner)
    if incomplete:
        _text(slide, incomplete, MARGIN, Inches(4.9), inner, Inches(0.6), size=12, bold=True, colour=RED)
    _text(slide, t("suppression", lang), MARGIN, Inches(5.6), inner, Inches(1.0), size=11, colour=GREY)

    deck.save(str(out))
    return out

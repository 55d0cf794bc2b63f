"""Definitions: what every figure and dimension means, from the metric layer's definitions (one source)."""

from __future__ import annotations

from dash import html

from dashboard.pages.base import Chart, PageContext
from pipelines.metrics.catalogue import DIMENSIONS, METRICS, dimension_name, metric_name

Row = tuple[str, str, str]  # (name, meaning, code)


def metric_rows(lang: str) -> list[Row]:
    """Every metric of the catalogue as the page lists it."""
    return [(metric_name(m.name, lang), m.definition(lang), m.name) for m in METRICS]


def dimension_rows(lang: str) -> list[Row]:
    return [(dimension_name(d.name, lang), d.definition(lang), d.name) for d in DIMENSIONS]


def _table_rows(rows: list[Row]) -> list[html.Tr]:
    return [html.Tr([html.Td(name, className="term"), html.Td(meaning), html.Td(html.Code(code))])
            for name, meaning, code in rows]


def header(ctx: PageContext) -> html.Div:
    cs = ctx.lang == "cs"
    heads = ("Název", "Význam", "Kód") if cs else ("Name", "Meaning", "Code")
    return html.Div([
        html.Div(className="card", children=[
            html.H2("Ukazatele" if cs else "Metrics"),
            html.Table(className="data-table definitions", children=[
                html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(_table_rows(metric_rows(ctx.lang)))]),
        ]),
        html.Div(className="card", children=[
            html.H2("Členění a filtry" if cs else "Dimensions and filters"),
            html.Table(className="data-table definitions", children=[
                html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(_table_rows(dimension_rows(ctx.lang)))]),
        ]),
        html.Div(className="card", children=[
            html.H2("Ochrana údajů" if cs else "How figures are protected"),
            *(html.P(text) for text in (_PROTECTION_CS if cs else _PROTECTION_EN)),
        ]),
    ])



_PROTECTION_CS = (
    "Údaje popisují často jen hrstku lidí, proto jsou chráněny drobnou náhodnou odchylkou (metoda "
    "klíčů buněk, jakou používají statistické úřady). Každá osoba a každý záznam má při sestavení "
    "skladu tajné náhodné číslo, svůj klíč. Klíč buňky je součet klíčů osob (nebo záznamů), které "
    "buňka počítá; podle počtu a klíče buňky tabulka určí zveřejněnou hodnotu. Odchylka je nejvýše "
    "±2, 0 zůstává 0 a počty 1 a 2 se nikdy nezobrazují.",
    "Stejná skupina lidí má proto vždy stejný údaj, ať se na ni ptáte jakýmkoli filtrem, grafem, "
    "exportem nebo sestavou; opakovaným dotazem se odchylka nezprůměruje. Součty jsou samostatné "
    "buňky, části se proto nemusí sčítat do celku.",
    "Počty záznamů (kontakty, zápisy, výsledky) se zobrazují jen tam, kde za nimi stojí alespoň 5 "
    "osob; hodiny, návštěvnost a mediány jen tam, kde jich je alespoň 10, zaokrouhlené. I hodiny "
    "nesou odchylku, nejvýše tak velkou jako největší podíl jedné osoby v buňce, danou klíčem "
    "buňky: rozdíl dvou součtů tak neprozradí podíl jednoho člověka. Podíly a "
    "plnění cílů se počítají z chráněných počtů.",
    "Jeden pohled smí kombinovat nejvýše 3 z vlastností (občanství, okres, kraj, bydliště v kraji "
    "centra, cílová skupina, "
    "pohlaví, věk, pobytový status, služba, výsledek) a filtr nejvýše 5 hodnot; období končí "
    "nejpozději posledním záznamem v datech a věk se počítá k tomuto dni. Zahrnuje-li výběr méně "
    "než 20 osob, místo údajů se zobrazí upozornění.",
    "Přesné údaje vidí jen správce a analytik na vlastní obrazovce (zapisuje se do auditního "
    "záznamu); exporty, sestavy a ostatní role dostávají vždy chráněné údaje. Sešit pro "
    "ministerstvo má přesné ukazatele s ověřeným skrytím malých hodnot.",
)
_PROTECTION_EN = (
    "The figures often describe a handful of people, so they carry a small random deviation (the "
    "cell key method statistical offices use). At each build every person and every record gets a "
    "secret random number, its record key. A cell's key is the sum of the keys of the people (or "
    "records) it counts; from the count and the cell key a table gives the published figure. The "
    "deviation is at most ±2, 0 stays 0, and 1 and 2 are never shown.",
    "So the same group of people always gets the same figure, whichever filter, chart, export or "
    "report asks for it; asking again does not average the deviation away. Totals are cells of "
    "their own, so parts need not add up to totals.",
    "Counts of records (contacts, enrolments, outcomes) are shown only where at least 5 people stand "
    "behind them; hours, attendance and medians only where at least 10 do, rounded. Hours carry "
    "a deviation too, at most as large as the largest share of one person in the cell, chosen by the "
    "cell key: the difference of two sums does not tell one "
    "person's share. Shares and target fulfilment are computed from protected counts.",
    "One view may combine at most 3 of the attributes (nationality, district, region, living in the "
    "centre's region, target group, "
    "sex, age band, residence status, service, outcome) and a filter at most 5 values; periods end "
    "no later than the data's last record, and ages are computed at that day. Where a selection "
    "covers fewer than 20 people, a notice is shown instead of figures.",
    "Exact figures are for the administrator and the analyst on their own screen only (written to "
    "the audit log); exports, reports and every other role always get protected figures. The "
    "ministry workbook holds exact indicators with audited hiding of small values.",
)

CHARTS: tuple[Chart, ...] = ()

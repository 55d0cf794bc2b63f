/* Plotly.js Czech locale, served from the app's assets (no CDN). Registered with Plotly when
   it is already loaded, otherwise queued in window.PlotlyLocales, which plotly.js registers
   on start-up. */
(function () {
    var locale = {
        moduleType: "locale",
        name: "cs",
        dictionary: {
            "Autoscale": "Automatické měřítko",
            "Box Select": "Výběr obdélníkem",
            "Click to enter Colorscale title": "Klikněte pro zadání názvu barevné škály",
            "Click to enter Component A title": "Klikněte pro zadání názvu komponenty A",
            "Click to enter Component B title": "Klikněte pro zadání názvu komponenty B",
            "Click to enter Component C title": "Klikněte pro zadání názvu komponenty C",
            "Click to enter Plot title": "Klikněte pro zadání názvu grafu",
            "Click to enter X axis title": "Klikněte pro zadání názvu osy X",
            "Click to enter Y axis title": "Klikněte pro zadání názvu osy Y",
            "Click to enter radial axis title": "Klikněte pro zadání názvu radiální osy",
            "Compare data on hover": "Porovnat hodnoty při najetí myší",
            "Double-click on legend to isolate one trace": "Dvojklikem na legendu izolujete jednu řadu",
            "Double-click to zoom back out": "Dvojklikem vrátíte zvětšení",
            "Download plot": "Stáhnout graf",
            "Download plot as a png": "Stáhnout graf jako PNG",
            "Edit in Chart Studio": "Upravit v Chart Studiu",
            "IE only supports svg.  Changing format to svg.": "IE podporuje jen SVG. Formát změněn na SVG.",
            "Lasso Select": "Výběr lasem",
            "Orbital rotation": "Rotace po orbitě",
            "Pan": "Posun",
            "Produced with Plotly.js": "Vytvořeno pomocí Plotly.js",
            "Reset": "Obnovit",
            "Reset axes": "Obnovit osy",
            "Reset camera to default": "Obnovit výchozí pohled kamery",
            "Reset camera to last save": "Obnovit poslední uložený pohled kamery",
            "Reset view": "Obnovit pohled",
            "Reset views": "Obnovit pohledy",
            "Show closest data on hover": "Zobrazit nejbližší hodnotu při najetí myší",
            "Snapshot succeeded": "Snímek byl vytvořen",
            "Sorry, there was a problem downloading your snapshot!": "Omlouváme se, při stahování snímku došlo k chybě.",
            "Taking snapshot - this may take a few seconds": "Vytváří se snímek – může to trvat několik sekund",
            "Toggle Spike Lines": "Přepnout vodicí čáry",
            "Toggle show closest data on hover": "Přepnout zobrazení nejbližší hodnoty",
            "Turntable rotation": "Rotace otočného stolu",
            "Zoom": "Zvětšení",
            "Zoom in": "Přiblížit",
            "Zoom out": "Oddálit",
            "close:": "uzavírací:",
            "high:": "nejvyšší:",
            "low:": "nejnižší:",
            "open:": "otevírací:",
            "max:": "max.:",
            "min:": "min.:",
            "mean:": "průměr:",
            "median:": "medián:",
            "lower fence:": "dolní mez:",
            "upper fence:": "horní mez:",
            "q1:": "q1:",
            "q3:": "q3:",
            "trace": "řada",
            "new text": "nový text"
        },
        format: {
            days: ["neděle", "pondělí", "úterý", "středa", "čtvrtek", "pátek", "sobota"],
            shortDays: ["ne", "po", "út", "st", "čt", "pá", "so"],
            months: ["leden", "únor", "březen", "duben", "květen", "červen", "červenec", "srpen", "září",
                     "říjen", "listopad", "prosinec"],
            shortMonths: ["led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis", "pro"],
            date: "%d.%m.%Y",
            decimal: ",",
            thousands: " "
        }
    };
    if (typeof window.Plotly === "undefined" || typeof window.Plotly.register !== "function") {
        window.PlotlyLocales = window.PlotlyLocales || [];
        window.PlotlyLocales.push(locale);
    } else {
        window.Plotly.register(locale);
    }
})();

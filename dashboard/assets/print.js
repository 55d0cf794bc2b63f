/* Printing from the browser: the stylesheet's @media print lays the page out for A4 landscape, one
 * chart per row; the charts are redrawn at the printed width first and at the screen's after.
 * window.reachPrint.prepare() / .restore() are what beforeprint / afterprint call (the screenshot
 * script calls them around Chromium's own PDF printing).
 */
(function () {
    "use strict";

    var PRINT_WIDTH = 980;  // CSS px of a chart on A4 landscape with 12 mm margins, inside its card

    function graphs() {
        return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
    }

    function prepare() {
        if (!window.Plotly) {
            return Promise.resolve();
        }
        return Promise.all(graphs().map(function (graph) {
            return window.Plotly.relayout(graph, {width: PRINT_WIDTH});
        }));
    }

    function restore() {
        if (!window.Plotly) {
            return Promise.resolve();
        }
        return Promise.all(graphs().map(function (graph) {
            return window.Plotly.relayout(graph, {width: null, autosize: true}).then(function () {
                return window.Plotly.Plots.resize(graph);
            });
        }));
    }

    window.reachPrint = {prepare: prepare, restore: restore};
    window.addEventListener("beforeprint", prepare);
    window.addEventListener("afterprint", restore);
})();

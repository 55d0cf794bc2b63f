/* plotly.js (4.8 MB) from the start of the page, not from when the first chart is mounted (after
   the page's callbacks have answered): app.py preloads it in <head> (`link#plotly-early`), and this
   script, which runs before Dash's renderer, starts it as an async script. Until it has run,
   window.Plotly is a promise-like placeholder: Dash's Graph waits on it
   (`Promise.resolve(window.Plotly || load())`) instead of loading plotly.js a second time. */
(function () {
    var early = document.getElementById("plotly-early");
    if (!early || window.Plotly) {
        return;
    }
    var waiting = [];
    var settled = null;  // [ok, value] once plotly.js has run or failed to load
    function settle(ok, value) {
        settled = [ok, value];
        waiting.splice(0).forEach(function (pair) { pair[ok ? 0 : 1](value); });
    }
    function load(url, onError) {
        var script = document.createElement("script");
        script.src = url;
        script.async = true;
        script.onload = function () { settle(true, window.Plotly); };
        script.onerror = onError;
        document.head.appendChild(script);
    }
    window.Plotly = {
        then: function (resolve, reject) {
            if (settled) {
                (settled[0] ? resolve : reject)(settled[1]);
            } else {
                waiting.push([resolve, reject]);
            }
        }
    };
    load(early.href, function () {  // the way Dash loads it, once more; then the charts say it failed
        load(window._dashPlotlyJSURL || early.href, function (error) {
            window.Plotly = undefined;
            settle(false, error);
        });
    });
})();

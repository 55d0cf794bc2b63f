/* plotly.js (4.8 MB) fetched from the start of the page, not from when the first chart is mounted
   (after the page's callbacks have answered): app.py preloads it in <head> (`link#plotly-early`).
   It is run only when Dash's Graph first asks for it, so its evaluation (the costliest single task
   of a first load) never holds up the callbacks or the KPIs before the charts. Until then
   window.Plotly is a promise-like placeholder: the Graph waits on it
   (`Promise.resolve(window.Plotly || load())`) instead of fetching plotly.js itself. A page without
   charts runs it once the browser is idle a while after loading, ready for the next page. */
(function () {
    var early = document.getElementById("plotly-early");
    if (!early || window.Plotly) {
        return;
    }
    var waiting = [];
    var started = false;
    var settled = null;  // [ok, value] once plotly.js has run or failed to load
    function settle(ok, value) {
        if (settled) {
            return;
        }
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
    function start() {
        if (started) {
            return;
        }
        started = true;
        setTimeout(function () {  // as Dash's own loader: a stalled fetch ends in the charts' error
            if (!settled) {
                window.Plotly = undefined;
                settle(false, new Error("plotly.js did not load after 30 seconds"));
            }
        }, 30000);
        load(early.href, function () {  // the way Dash loads it, once more; then the charts say it failed
            load(window._dashPlotlyJSURL || early.href, function (error) {
                window.Plotly = undefined;
                settle(false, error);
            });
        });
    }
    window.Plotly = {
        then: function (resolve, reject) {
            start();
            if (settled) {
                (settled[0] ? resolve : reject)(settled[1]);
            } else {
                waiting.push([resolve, reject]);
            }
        }
    };
    window.addEventListener("load", function () {
        setTimeout(function () {
            (window.requestIdleCallback || setTimeout)(start);
        }, 5000);
    });
})();

// A callback refused because the session ended (HTTP 401): reload, so the server shows the sign-in page.
(function () {
    var original = window.fetch;
    window.fetch = function () {
        return original.apply(this, arguments).then(function (response) {
            if (response.status === 401 && response.url.indexOf("/_dash-") !== -1) {
                window.location.reload();
            }
            return response;
        });
    };
})();

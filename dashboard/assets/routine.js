/* The Deliveries page's upload (dashboard/routine/routes.py): the chosen or dropped files go in one
 * multipart POST with the CSRF token, the bytes sent are shown, and the server's answer (a job id,
 * or the refusal's message) is handed to the page. Only the size is checked here first (to spare a
 * long send); the server checks everything again, before it reads a file. */
(function () {
  "use strict";
  var dropped = null;

  function card() { return document.getElementById("upload-card"); }
  function say(text, kind) {
    var box = document.getElementById("upload-message");
    if (!box) { return; }
    box.textContent = text;
    box.className = "notice notice-" + (kind || "info");
  }
  function cookie(name) {
    var found = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }
  function chosen() {
    var input = document.getElementById("upload-files");
    if (dropped && dropped.length) { return dropped; }
    return input && input.files ? input.files : [];
  }

  function send() {
    var box = card();
    var files = chosen();
    if (!box) { return; }
    if (!files.length) { say(box.dataset.textNone, "warning"); return; }
    var total = 0;
    for (var i = 0; i < files.length; i++) { total += files[i].size; }
    if (total > Number(box.dataset.maxBytes)) {
      say(box.dataset.textTooLarge.replace("{size}", (total / 1048576).toFixed(1)).replace("{mb}", box.dataset.mb),
          "warning");
      return;
    }
    var form = new FormData();
    for (var j = 0; j < files.length; j++) { form.append("files", files[j], files[j].name); }
    var centre = document.getElementById("upload-centre").value;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", box.dataset.url + "?centre=" + encodeURIComponent(centre) + "&lang=" + box.dataset.lang);
    xhr.setRequestHeader("X-CSRFToken", cookie("_csrf_token"));
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) {
        say(box.dataset.textSending.replace("{percent}", Math.round(100 * event.loaded / event.total)));
      }
    };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {error: xhr.statusText}; }
      if (xhr.status === 202 && answer.job) {
        say("");
        dropped = null;
        if (window.dash_clientside && window.dash_clientside.set_props) {
          window.dash_clientside.set_props("upload-job", {data: answer.job});
        }
      } else {
        say(box.dataset.textRefused + (answer.error || xhr.status), "warning");
      }
    };
    xhr.onerror = function () { say(box.dataset.textRefused + "network error", "warning"); };
    xhr.send(form);
  }

  // The native file input (Dash has none that leaves the files alone), put into its slot whenever drawn.
  function addInput() {
    var slot = document.getElementById("upload-files-slot");
    if (!slot || document.getElementById("upload-files")) { return; }
    var input = document.createElement("input");
    input.type = "file";
    input.id = "upload-files";
    input.multiple = true;
    input.accept = ".csv,.xlsx,.zip";
    slot.appendChild(input);
  }
  new MutationObserver(addInput).observe(document.documentElement, {childList: true, subtree: true});

  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === "upload-submit") { send(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "upload-files") { dropped = null; say(""); }
  });
  document.addEventListener("dragover", function (event) {
    if (event.target && event.target.closest && event.target.closest("#upload-drop")) { event.preventDefault(); }
  });
  document.addEventListener("drop", function (event) {
    if (event.target && event.target.closest && event.target.closest("#upload-drop")) {
      event.preventDefault();
      dropped = event.dataTransfer.files;
      var names = [];
      for (var i = 0; i < dropped.length; i++) { names.push(dropped[i].name); }
      say(names.join(", "));
    }
  });
})();

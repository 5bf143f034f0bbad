// Kho's administration page (/admin): the admin key is asked once and kept in this tab's sessionStorage
// only (gone when the tab closes; never in a cookie or the URL), and sent as "Authorization: Bearer" with
// each admin request. Searching does not need this script.
(function () {
  "use strict";
  var STORAGE = "kho-admin-key";
  var keyForm = document.getElementById("admin-key-form");
  var panel = document.getElementById("admin-panel");
  var status = document.getElementById("admin-status");
  if (!keyForm || !panel || !status) return;

  function storedKey() {
    try { return window.sessionStorage.getItem(STORAGE) || ""; } catch (e) { return ""; }
  }
  function keep(key) {
    try { window.sessionStorage.setItem(STORAGE, key); } catch (e) { /* private mode: key kept for this page only */ }
  }
  function forget() {
    try { window.sessionStorage.removeItem(STORAGE); } catch (e) { /* nothing kept */ }
  }
  var key = storedKey();

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "notice error" : "notice";
  }

  function call(method, path, body) {
    return fetch(path, { method: method, headers: { "Authorization": "Bearer " + key }, body: body })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return { status: response.status, json: json };
        });
      });
  }

  function show(unlocked) {
    keyForm.hidden = unlocked;
    panel.hidden = !unlocked;
  }

  function refused(result) {
    if (result.status !== 401) return false;
    forget();
    key = "";
    show(false);
    say("Khoá quản trị không đúng.", true);
    return true;
  }

  function check() {
    return call("GET", "/api/reindex").then(function (result) {
      if (refused(result)) return;
      show(true);
      say("Đã mở khoá quản trị.");
    }, function () { say("Không kết nối được máy chủ.", true); });
  }

  keyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    key = document.getElementById("admin-key").value.trim();
    keep(key);
    document.getElementById("admin-key").value = "";
    check();
  });

  document.getElementById("upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    say("Đang tải lên và lập chỉ mục…");
    call("POST", "/api/documents", new FormData(form)).then(function (result) {
      if (refused(result)) return;
      if (result.status === 201) {
        var link = document.createElement("a");
        link.href = "/documents/" + encodeURIComponent(result.json.id);
        link.textContent = result.json.id;
        status.textContent = "";
        status.className = "notice";
        status.append("Đã lập chỉ mục (" + result.json.status + "): " + result.json.path + " — mã ", link);
        form.reset();
        return;
      }
      say("Lỗi " + result.status + ": " + (result.json.message || ""), true);
    }, function () { say("Không kết nối được máy chủ.", true); });
  });

  document.getElementById("delete-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = document.getElementById("delete-id").value.trim();
    call("DELETE", "/api/documents/" + encodeURIComponent(id)).then(function (result) {
      if (refused(result)) return;
      if (result.status === 200) {
        say("Đã xoá " + id + ".");
        event.target.reset();
        return;
      }
      say("Lỗi " + result.status + ": " + (result.json.message || ""), true);
    }, function () { say("Không kết nối được máy chủ.", true); });
  });

  function poll() {
    call("GET", "/api/reindex").then(function (result) {
      if (refused(result)) return;
      var run = result.json;
      if (run.state === "running") {
        say("Đang lập chỉ mục lại…");
        window.setTimeout(poll, 1000);
      } else if (run.state === "done" && run.report) {
        say("Xong: " + run.report.indexed + " mới/đổi, " + run.report.unchanged + " không đổi, " +
          run.report.removed + " đã xoá, " + run.report.failed.length + " lỗi.");
      } else {
        say("Lập chỉ mục lại thất bại: " + (run.error || run.state), true);
      }
    });
  }
  document.getElementById("reindex-button").addEventListener("click", function () {
    call("POST", "/api/reindex").then(function (result) {
      if (refused(result)) return;
      poll();
    });
  });

  document.getElementById("forget-key").addEventListener("click", function () {
    forget();
    key = "";
    show(false);
    say("Đã quên khoá.");
  });

  if (key) {
    check();
  } else {
    show(false);
  }
})();

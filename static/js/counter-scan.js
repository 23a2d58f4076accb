/* The counter's QR reader: the "Scan" button opens the phone's camera in the page (no app), reads the
   QR code printed on the card (it encodes the bare 16-digit number), puts the number in the field and
   submits the check. The browser's own BarcodeDetector reads the code where there is one (Chrome on
   Android); elsewhere the vendored jsQR (static/vendor/jsqr, Apache-2.0), loaded only when needed.
   Without a camera — refused, missing, or a page not opened over HTTPS, where browsers do not offer
   one — the page says so and the field stays for typing. Wired by data- attributes (no inline script). */
(function () {
  "use strict";

  var CARD_NUMBER = /^[0-9][0-9 \-]{10,38}[0-9]$/;

  function setup(box) {
    var form = box.closest("form");
    var field = form && form.querySelector("input[name=number]");
    var start = box.querySelector("[data-scan-start]");
    var stop = box.querySelector("[data-scan-stop]");
    var view = box.querySelector("[data-scan-view]");
    var video = box.querySelector("[data-scan-video]");
    var note = box.querySelector("[data-scan-note]");
    if (!form || !field || !start || !video) return;

    var stream = null;
    var decoder = null;
    var canvas = null;
    var running = false;
    var busy = false;

    function say(key, isProblem) {
      note.textContent = box.getAttribute("data-msg-" + key) || "";
      note.hidden = !note.textContent;
      note.classList.toggle("problem", !!isProblem);
    }

    function cameraPossible() {
      return !!(window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
    }

    function loadJsQR() {
      if (window.jsQR) return Promise.resolve(window.jsQR);
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = box.getAttribute("data-jsqr-src");
        script.onload = function () { window.jsQR ? resolve(window.jsQR) : reject(new Error("jsQR")); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }

    /* A function (video or image source) → Promise of the text of the first QR code seen, or null. */
    function makeDecoder() {
      var nativeReader = null;
      if ("BarcodeDetector" in window && window.BarcodeDetector.getSupportedFormats) {
        nativeReader = window.BarcodeDetector.getSupportedFormats().then(function (formats) {
          return formats.indexOf("qr_code") >= 0 ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
        }).catch(function () { return null; });
      } else {
        nativeReader = Promise.resolve(null);
      }
      return nativeReader.then(function (detector) {
        if (detector) {
          return function (source) {
            return detector.detect(source).then(function (codes) {
              return codes.length ? codes[0].rawValue : null;
            });
          };
        }
        return loadJsQR().then(function (jsQR) {
          canvas = canvas || document.createElement("canvas");
          var context = canvas.getContext("2d", { willReadFrequently: true });
          return function (source) {
            var width = source.videoWidth || source.naturalWidth || source.width;
            var height = source.videoHeight || source.naturalHeight || source.height;
            if (!width || !height) return Promise.resolve(null);
            canvas.width = width;
            canvas.height = height;
            context.drawImage(source, 0, 0, width, height);
            var code = jsQR(context.getImageData(0, 0, width, height).data, width, height, {
              inversionAttempts: "dontInvert",
            });
            return Promise.resolve(code ? code.data : null);
          };
        });
      });
    }

    function stopCamera() {
      running = false;
      if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
      video.srcObject = null;
      view.hidden = true;
      start.hidden = false;
      start.disabled = false;
    }

    function found(text) {
      var value = String(text || "").trim();
      if (!CARD_NUMBER.test(value)) {
        say("not-card", true);
        return false;
      }
      stopCamera();
      field.value = value;
      say("", false);
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
      return true;
    }

    function scanFrame() {
      if (!running) return;
      if (!busy && video.readyState >= 2) {
        busy = true;
        decoder(video).then(function (text) {
          busy = false;
          if (text && found(text)) return;
        }, function () { busy = false; });
      }
      window.requestAnimationFrame(scanFrame);
    }

    function openCamera() {
      if (!cameraPossible()) { say("unavailable", true); start.hidden = true; return; }
      if (start.disabled) return;  // already opening
      start.disabled = true;
      say("looking", false);
      // The decoder first: were it to fail to load, no camera would be left open behind it.
      (decoder ? Promise.resolve(decoder) : makeDecoder()).then(function (made) {
        decoder = made;
        return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      }).then(function (opened) {
        stream = opened;
        video.srcObject = stream;
        view.hidden = false;
        start.hidden = true;
        running = true;
        return video.play();
      }).then(scanFrame).catch(function (error) {
        stopCamera();
        var name = error && error.name;
        say(name === "NotAllowedError" || name === "SecurityError" ? "denied" : "failed", true);
        field.focus();
      });
    }

    start.addEventListener("click", openCamera);
    if (stop) stop.addEventListener("click", function () { stopCamera(); say("", false); field.focus(); });
    window.addEventListener("pagehide", stopCamera);

    if (cameraPossible()) {
      start.hidden = false;
    } else {
      say("unavailable", false);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-counter-scan]"), setup);
  });
})();

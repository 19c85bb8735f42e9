// Upload page: drag and drop onto the drop zone, and the checks a browser can make
// before sending (type, emptiness, size). The server checks the same and more.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("id_file");
  const zone = document.getElementById("dropzone");
  const chosen = document.getElementById("file-chosen");
  const error = document.getElementById("file-error");
  const name = document.getElementById("id_name");
  const submit = document.getElementById("upload-submit");
  const status = document.getElementById("upload-status");
  const maxBytes = Number(form.dataset.maxBytes);

  function size(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function problem(file) {
    if (!file) return "Choose a workbook to upload.";
    if (!/\.(xlsx|xlsm)$/i.test(file.name)) {
      if (/\.xls$/i.test(file.name)) {
        return "This is an old .xls workbook: open it in Excel and save it as .xlsx.";
      }
      return "This is not an Excel workbook (.xlsx or .xlsm).";
    }
    if (file.size === 0) return "The file is empty (0 bytes).";
    if (file.size > maxBytes) {
      return "The file is too large (" + size(file.size) + "); the limit is " + size(maxBytes) + ".";
    }
    return "";
  }

  function show(file) {
    const message = problem(file);
    chosen.textContent = file ? file.name + " · " + size(file.size) : "";
    error.textContent = message;
    zone.classList.toggle("invalid", Boolean(message));
    zone.classList.toggle("ready", Boolean(file) && !message);
    if (file && !message && !name.value) {
      name.placeholder = file.name.replace(/\.(xlsx|xlsm)$/i, "");
    }
    return message;
  }

  input.addEventListener("change", () => show(input.files[0]));

  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("over");
    })
  );
  ["dragleave", "dragend"].forEach((type) =>
    zone.addEventListener(type, () => zone.classList.remove("over"))
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    if (files.length > 1) {
      error.textContent = "Drop one workbook at a time.";
      return;
    }
    input.files = files;
    show(files[0]);
  });

  form.addEventListener("submit", (event) => {
    if (show(input.files[0])) {
      event.preventDefault();
      input.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = "Uploading " + size(input.files[0].size) + "…";
  });

  // Back from the job page (back/forward cache): the form is usable again.
  window.addEventListener("pageshow", () => {
    submit.disabled = false;
    status.textContent = "";
  });
})();

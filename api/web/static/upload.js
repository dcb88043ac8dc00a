// How much of the upload has been sent (the batch's own progress is on its page).
document.addEventListener("htmx:xhr:progress", function (event) {
  const bar = document.getElementById("upload-progress");
  if (bar && event.detail.lengthComputable) {
    bar.value = Math.round(100 * event.detail.loaded / event.detail.total);
  }
});
document.addEventListener("htmx:responseError", function (event) {
  const out = document.getElementById("upload-result");
  if (out) {
    let text = "The upload was refused (" + event.detail.xhr.status + ")";
    try { text += ": " + JSON.parse(event.detail.xhr.responseText).detail; } catch (e) { /* not JSON */ }
    out.textContent = text;
  }
});

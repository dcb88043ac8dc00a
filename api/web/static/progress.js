// A batch's progress, live: the server-sent events of /api/batches/{id}/events say when
// the batch moves; each time, the panel is fetched again from the batch record (so what a
// reload shows and what the stream shows are the same thing). Without scripts, reload.
(function () {
  const panel = document.getElementById("progress");
  if (!panel || panel.dataset.state === "finished" || !window.EventSource) { return; }
  const id = panel.dataset.batch;
  const stream = new EventSource("/api/batches/" + id + "/events");
  const refresh = function () {
    htmx.ajax("GET", "/batches/" + id + "/progress", {target: "#progress", swap: "outerHTML"});
  };
  stream.addEventListener("progress", refresh);
  stream.addEventListener("end", function () { stream.close(); refresh(); });
})();

// The live job view (templates/jobs/_live.html): each stage ticks from pending to running
// to done with its message and seconds. Events come over the WebSocket /ws/import/<id>;
// when the socket cannot open or drops before the end, the page polls the JSON twin of
// the same rows (?after=<last id>), so nothing is lost either way.
(function () {
  "use strict";
  const root = document.getElementById("live-job");
  const configNode = document.getElementById("job-config");
  if (!root || !configNode) return;
  const config = JSON.parse(configNode.textContent);
  const order = config.stages.map((pair) => pair[0]);
  const labels = Object.fromEntries(config.stages);
  const FINISHED = ["success", "failed", "cancelled"];
  const state = {};
  order.forEach((stage) => (state[stage] = { status: "pending", message: "" }));

  const el = {
    status: document.getElementById("job-status"),
    transport: document.getElementById("job-transport"),
    progress: document.getElementById("job-progress"),
    percent: document.getElementById("job-percent"),
    message: document.getElementById("job-message"),
    outcome: document.getElementById("job-outcome"),
    cancel: document.getElementById("job-cancel"),
  };
  const items = {};
  root.querySelectorAll("[data-stage]").forEach((li) => (items[li.dataset.stage] = li));

  let lastId = 0;
  let finished = false;
  let skew = 0; // server clock minus ours, from the newest event
  let pollTimer = null;
  let ticker = null;

  function setTransport(text) {
    el.transport.textContent = text;
    root.dataset.transport = text;
  }

  function setPercent(percent) {
    const value = Math.max(0, Math.min(100, Number(percent) || 0));
    el.progress.setAttribute("aria-valuenow", String(Math.round(value)));
    el.progress.firstElementChild.style.width = value.toFixed(1) + "%";
    el.percent.textContent = Math.round(value) + "%";
  }

  function setJob(job) {
    el.status.textContent = job.status;
    el.status.className = "live-status badge job-" + job.status;
    root.dataset.status = job.status;
    if (job.message) el.message.textContent = job.message;
    if (job.status === "success") setPercent(100);
  }

  function apply(event) {
    if (event.id <= lastId) return;
    lastId = event.id;
    const at = Date.parse(event.time);
    skew = at - Date.now();
    setPercent(event.percent);
    el.message.textContent = event.message;
    const index = order.indexOf(event.stage);
    if (index < 0) return;
    order.slice(0, index).forEach((stage) => {
      const earlier = state[stage];
      if (earlier.status === "running") {
        earlier.status = "done";
        earlier.end = at;
      } else if (earlier.status === "pending") {
        earlier.status = "skipped";
      }
    });
    const current = state[event.stage];
    if (current.status !== "running") {
      current.status = "running";
      current.start = at;
      current.end = undefined;
    }
    current.message = event.message;
    if (/ done$/.test(event.message)) {
      current.status = "done";
      current.end = at;
    }
    render();
  }

  function seconds(stage) {
    if (stage.start === undefined) return "";
    const end = stage.end !== undefined ? stage.end : Date.now() + skew;
    return Math.max(0, (end - stage.start) / 1000).toFixed(stage.end !== undefined ? 2 : 1) + " s";
  }

  function render() {
    order.forEach((name) => {
      const stage = state[name];
      const li = items[name];
      li.className = "stage " + stage.status;
      li.querySelector(".stage-state").textContent = stage.status;
      li.querySelector(".stage-message").textContent =
        stage.status === "pending" || stage.status === "skipped" ? "" : stage.message;
      li.querySelector(".stage-seconds").textContent = seconds(stage);
      if (stage.status === "running") li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
  }

  function outcome(job) {
    const box = el.outcome;
    box.replaceChildren();
    box.className = "live-outcome " + job.status;
    const line = document.createElement("p");
    if (job.status === "success") {
      line.append(job.message || "Done.", " ");
      if (job.workbook_id) {
        const link = document.createElement("a");
        link.href = config.modelUrl.replace("{id}", String(job.workbook_id));
        link.className = "button primary";
        link.id = "open-model";
        link.textContent = "Open the model";
        line.append(link);
      }
    } else if (job.status === "failed") {
      const error = job.error || {};
      const stage = labels[error.stage || job.stage] || error.stage || job.stage || "";
      const strong = document.createElement("strong");
      strong.textContent = stage ? "Failed at " + stage + ": " : "Failed: ";
      line.append(strong, error.message || job.message || "the job failed.");
    } else {
      line.textContent = job.message || "Cancelled.";
    }
    box.append(line);
    box.hidden = false;
  }

  function finish(job) {
    if (finished) return;
    finished = true;
    const end = job.finished_at ? Date.parse(job.finished_at) : Date.now() + skew;
    const failedStage = job.status === "failed" ? (job.error && job.error.stage) || job.stage : "";
    order.forEach((name) => {
      const stage = state[name];
      if (name === failedStage) {
        stage.status = "failed";
        if (stage.start === undefined) stage.start = end;
        stage.end = end;
      } else if (stage.status === "running") {
        stage.status = job.status === "success" ? "done" : job.status;
        stage.end = end;
      }
    });
    setJob(job);
    render();
    outcome(job);
    if (el.cancel) el.cancel.hidden = true;
    clearInterval(ticker);
    clearTimeout(pollTimer);
    setTransport(root.dataset.transport ? root.dataset.transport + " · finished" : "finished");
    root.dispatchEvent(new CustomEvent("job:finished", { bubbles: true, detail: job }));
  }

  function poll() {
    if (finished || pollTimer) return;
    setTransport("polling");
    const tick = async () => {
      let again = 1000;
      try {
        const response = await fetch(config.eventsUrl + "?after=" + lastId, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (response.ok) {
          const data = await response.json();
          data.events.forEach(apply);
          if (FINISHED.includes(data.job.status) && !data.more) {
            finish(data.job);
            return;
          }
          setJob(data.job);
          if (data.more) again = 0;
        } else {
          again = 5000;
        }
      } catch (error) {
        again = 3000;
      }
      pollTimer = setTimeout(tick, again);
    };
    tick();
  }

  function connect() {
    if (!("WebSocket" in window)) {
      poll();
      return;
    }
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(scheme + "//" + location.host + config.socket + "?after=" + lastId);
    } catch (error) {
      poll();
      return;
    }
    let opened = false;
    const giveUp = setTimeout(() => {
      if (!opened) socket.close();
    }, 5000);
    socket.addEventListener("open", () => {
      opened = true;
      clearTimeout(giveUp);
      setTransport("live");
    });
    socket.addEventListener("message", (message) => {
      const data = JSON.parse(message.data);
      if (data.type === "snapshot") setJob(data.job);
      else if (data.type === "progress") apply(data);
      else if (data.type === "final") finish(data.job);
    });
    socket.addEventListener("close", () => {
      clearTimeout(giveUp);
      if (!finished) poll();
    });
  }

  config.events.forEach(apply);
  render();
  if (FINISHED.includes(config.job.status)) {
    finish(config.job);
  } else {
    setJob(config.job);
    ticker = setInterval(render, 250);
    connect();
  }
})();

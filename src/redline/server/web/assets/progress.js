// Follow the job through the JSON API once a second; when it ends, reload to show the results.
const box = document.getElementById("progress"), bar = document.getElementById("bar");
async function poll() {
  try {
    const response = await fetch("/screenings/" + box.dataset.job, {headers: {Accept: "application/json"}});
    if (response.ok) {
      const job = await response.json();
      if (["completed", "failed", "interrupted"].includes(job.status)) { location.reload(); return; }
      document.getElementById("state").textContent = job.status;
      document.getElementById("done").textContent = job.rows_done;
      if (job.progress === null) bar.removeAttribute("value"); else bar.value = job.progress;
    }
  } catch (error) { /* the server restarts or the network blips: try again at the next tick */ }
  setTimeout(poll, 1000);
}
setTimeout(poll, 1000);

// Popup: connection status, the auto-mode switch, and a link to the companion's dashboard.

import { ask, localise, t } from "../ui/i18n.js";

const $ = (id) => document.getElementById(id);

function render(state) {
  $("status").textContent = t(`status_${state.status || "idle"}`);
  $("status").dataset.status = state.status || "idle";
  $("reconnect").hidden = ["ready", "connecting", "unpaired"].includes(state.status);
  const ready = state.ready;
  $("auto").checked = Boolean(ready && ready.auto);
  $("auto").disabled = state.status !== "ready";
  $("fingerprint-line").hidden = !(ready && ready.fingerprint);
  $("fingerprint").textContent = (ready && ready.fingerprint) || "";
  const shops = $("shops");
  shops.replaceChildren();
  for (const shop of (ready && ready.shops) || []) {
    const li = document.createElement("li");
    const mode = shop.auto_reply_endpoint === false ? "autoSuggestOnly" : "autoOn";
    li.textContent = `${shop.name || shop.shop_id} (${shop.region})${shop.auto ? ` · ${t(mode)}` : ""}`;
    shops.append(li);
  }
  if (ready && ready.dashboard_url) {
    $("dashboard").href = ready.dashboard_url;
    $("dashboard").hidden = false;
  }
}

async function refresh() {
  try {
    render(await ask("state.get"));
  } catch (error) {
    $("error").textContent = t("errInternal");
  }
}

$("auto").addEventListener("change", async (event) => {
  if (!event.isTrusted) return;
  $("error").textContent = "";
  try {
    await ask("mode.set", { auto: $("auto").checked });
  } catch (error) {
    $("error").textContent = t("errUnavailable");
  }
  refresh();
});

$("reconnect").addEventListener("click", () => ask("reconnect").then(refresh));

localise();
refresh();
setInterval(refresh, 1000);

// Options: the companion address and the pairing secret (copied once from the tray or the
// dashboard, or printed by `yiwaiwai pair`), the fingerprint check, re-pair and forget,
// and the page-assist switches (sending from the page without a click needs a confirmation).

import { fingerprint } from "../ui/fingerprint.js";
import { ask, localise, t } from "../ui/i18n.js";

const $ = (id) => document.getElementById(id);

async function showLocalFingerprint() {
  const secret = $("secret").value.trim();
  try {
    $("local-fingerprint").textContent = secret ? await fingerprint(secret) : "";
  } catch {
    $("local-fingerprint").textContent = t("secretMalformed");
  }
}

async function refreshStatus() {
  const state = await ask("state.get");
  $("status").textContent = t(`status_${state.status || "idle"}`);
  $("status").dataset.status = state.status || "idle";
  const remote = state.ready && state.ready.fingerprint;
  const local = $("local-fingerprint").textContent;
  $("match").textContent = remote && local ? (remote === local ? t("fingerprintMatches", [remote]) : t("fingerprintDiffers")) : "";
}

async function load() {
  const settings = await ask("settings.get");
  $("address").value = settings.address;
  $("pageAssist").checked = settings.pageAssist;
  $("pageAutoSend").checked = settings.pageAutoSend;
  $("sound").checked = settings.sound;
  $("secret").placeholder = settings.paired ? t("secretStored") : "";
}

$("secret").addEventListener("input", showLocalFingerprint);

$("pair").addEventListener("click", async () => {
  $("error").textContent = "";
  const secret = $("secret").value.trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) {
    $("error").textContent = t("secretMalformed");
    return;
  }
  try {
    await ask("pairing.save", { address: $("address").value.trim(), secret });
  } catch (error) {
    $("error").textContent = t("addressInvalid");
  }
});

$("forget").addEventListener("click", async () => {
  await ask("pairing.forget");
  $("secret").value = "";
  showLocalFingerprint();
});

for (const id of ["pageAssist", "sound"]) {
  $(id).addEventListener("change", () => ask("options.save", { [id]: $(id).checked }));
}

$("pageAutoSend").addEventListener("change", async () => {
  if ($("pageAutoSend").checked && !window.confirm(t("pageAutoSendWarning"))) {
    $("pageAutoSend").checked = false;
    return;
  }
  await ask("options.save", { pageAutoSend: $("pageAutoSend").checked });
});

localise();
load();
setInterval(refreshStatus, 700);

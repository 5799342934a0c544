// The pairing fingerprint, computed like companion/pairing.py `fingerprint()`: four words from
// SHA-256("yiwaiwai-fingerprint|" + key). Shown on both sides for a visual check (security.md P2).

import { secretKey } from "../background/connection.js";

const WORDS = ["apple", "bamboo", "cedar", "delta", "ember", "fjord", "glade", "harbor", "iris", "jade", "kite", "lotus", "maple", "nectar", "orchid", "pearl", "quartz", "river", "sage", "tulip", "umber", "violet", "willow", "xenon", "yarrow", "zephyr", "amber", "birch", "coral", "dune", "echo", "fern"];

export async function fingerprint(secret) {
  const prefix = new TextEncoder().encode("yiwaiwai-fingerprint|");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array([...prefix, ...secretKey(secret)])));
  return [...digest.slice(0, 4)].map((b) => WORDS[b % WORDS.length]).join("-");
}

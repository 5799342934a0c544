// The rules REST API (companion/web/routes_rules.py) in one place, so the editor
// never spells a path twice.

const BASE = "/api/v1/rules";
const enc = encodeURIComponent;

export function rulesApi(api) {
  return {
    list: () => api.get(BASE),
    create: (rule) => api.post(BASE, rule),
    update: (id, rule) => api.put(`${BASE}/${enc(id)}`, rule),
    remove: (id) => api.del(`${BASE}/${enc(id)}`),
    setEnabled: (id, enabled) => api.post(`${BASE}/${enc(id)}/${enabled ? "enable" : "disable"}`, {}),
    reorder: (ids, moved) => api.post(`${BASE}/reorder`, moved ? { ids, moved } : { ids }),
    exportPack: () => api.get(`${BASE}/export`),
    importPack: (pack, mode) => api.post(`${BASE}/import`, { pack, mode }),
    history: () => api.get(`${BASE}/history`),
    undo: (changeId) => api.post(`${BASE}/undo`, changeId == null ? {} : { change_id: changeId }),
    test: (body) => api.post(`${BASE}/test`, body),
    backtest: (body) => api.post(`${BASE}/backtest`, body),
  };
}

/** The saved rules with `draft` put in place of (or after) the rule it edits. */
export function withDraft(saved, draft, editedId) {
  const rules = saved.filter((r) => r.id !== editedId && r.id !== draft.id);
  const at = saved.findIndex((r) => r.id === editedId);
  rules.splice(at < 0 ? rules.length : at, 0, draft);
  return rules;
}

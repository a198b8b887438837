// The deployment dashboard and one agent's page: lifecycle, versions and diff, generated rules, metrics, log.
import { api, get, post } from './api.js';
import { h, clear, empty, toast, when, badge } from './dom.js';
import { can } from './app.js';
import { flatten, body as specOf } from './blueprint.js';
import { decisionsOverTime, bars } from './charts.js';
import { liveApprovals } from './live.js';

const startOfDay = () => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return d.toISOString();
};

export async function dashboard() {
  const body = h('tbody');
  const table = h('table', { class: 'agents' },
    h('caption', {}, 'Every agent of your organization. Decisions count since midnight UTC.'),
    h('thead', {}, h('tr', {}, ['Agent', 'Status', 'Live version', 'Decisions today', 'Pending approvals', 'Last error']
      .map(t => h('th', { scope: 'col' }, t)))), body);
  const holder = h('div', {});
  async function load() {
    const { items } = await get('/api/monitoring/agents');
    if (!items.length) {
      clear(holder, empty('No agents yet.', can('PM', 'ADMIN')
        ? h('a', { class: 'button primary', href: '#/templates' }, 'Create your first agent from a template')
        : h('p', {}, 'A product manager creates them; they will show here.')));
      return;
    }
    const outcomes = await Promise.all(items.map(a => get(
      `/api/monitoring/agents/${a.agentId}/metrics?from=${encodeURIComponent(startOfDay())}`).catch(() => null)));
    clear(body, items.map((a, i) => h('tr', { dataset: { agent: a.agentId } },
      h('th', { scope: 'row' }, h('a', { href: `#/agents/${a.agentId}` }, a.name)),
      h('td', {}, badge(a.status), ' ', h('span', { class: 'meta' }, a.health)),
      h('td', {}, a.deployedVersion ? `v${a.deployedVersion}` : '—'),
      h('td', {}, outcomeSummary(outcomes[i] && outcomes[i].decisions, a.decisionsToday)),
      h('td', {}, String(a.pendingApprovals)),
      h('td', {}, a.lastError ? `${a.lastError.outcome}: ${a.lastError.error && (a.lastError.error.message || JSON.stringify(a.lastError.error))}` : '—'))));
    clear(holder, table);
  }
  await load();
  const stop = liveApprovals(load, 10000);
  return {
    node: h('section', {}, h('div', { class: 'title-row' }, h('h1', {}, 'Agents'),
      can('PM', 'ADMIN') ? h('a', { class: 'button primary', href: '#/templates' }, 'New agent') : null),
    holder),
    leave: stop,
  };
}

function outcomeSummary(decisions, total) {
  if (!decisions || !Object.keys(decisions).length) return String(total ?? 0);
  return h('span', {}, Object.entries(decisions).map(([k, v]) => h('span', { class: 'outcome ' + k }, `${v} ${k.toLowerCase().replace('_', ' ')}`))
    .flatMap((el, i) => (i ? [', ', el] : [el])));
}

export async function agentPage(id, tab) {
  const agentPath = `/api/agents/${encodeURIComponent(id)}`;
  const agent = await get(agentPath);
  let liveVersion = null;
  // the version the agent's deployment runs (the blueprint may have newer, undeployed versions)
  const liveNow = async () => {
    if (!agent.deploymentId) return null;
    const last = await get(`${agentPath}/deployments?limit=20`);
    return (last.items.find(d => d.id === agent.deploymentId) || {}).blueprintVersion || null;
  };
  liveVersion = await liveNow().catch(() => null);
  // requests of this agent waiting for an approver (a deployment the rules parked, or its actions)
  const waiting = await get('/api/monitoring/agents')
    .then(m => (m.items.find(a => a.agentId === id) || {}).pendingApprovals || 0).catch(() => 0);
  const status = h('p', { id: 'agent-status' });
  const problem = h('p', { id: 'agent-error', class: 'error', role: 'alert' });
  const actions = h('div', { class: 'buttons', role: 'group', 'aria-label': 'What to do with this agent' });
  const panel = h('div', { class: 'card' });
  const tabs = [['overview', 'Metrics and log'], ['versions', 'Versions'], ['code', 'Generated rules'], ['deployments', 'Deployments'], ['executions', 'Receipts and violations']];
  const current = tabs.some(([t]) => t === tab) ? tab : 'overview';

  function showStatus(a, note) {
    const running = (a.status === 'Active' || a.status === 'Paused') && liveVersion && liveVersion !== a.version
      ? ` (version ${liveVersion} is live)` : '';
    clear(status, 'Status ', badge(a.status), ` · version ${a.version}${running}`, note ? h('strong', { class: 'note' }, ' ' + note) : null);
  }

  async function act(label, path, bodyValue) {
    problem.textContent = '';
    actions.querySelectorAll('button').forEach(b => { b.disabled = true; });
    clear(status, 'Status ', badge(agent.status), ` · ${label.toLowerCase()} in progress…`);
    try {
      const answer = await api('POST', `${agentPath}/${path}`, bodyValue);
      const fresh = await get(agentPath);
      agent.deploymentId = fresh.deploymentId;
      liveVersion = await liveNow().catch(() => null);
      let note = '';
      if (answer.status === 202 || (answer.body && answer.body.approvalId)) {
        note = 'Waiting for approval: ' + (answer.body.approvalReasons || []).join('; ');
      }
      showStatus(fresh, note);
      renderActions(fresh);
      if (refresh) refresh();
      toast(`${label}: ${note || fresh.status}`, 'ok');
    } catch (e) {
      problem.textContent = `${label} did not happen: ${e.message}`;
      const fresh = await get(agentPath).catch(() => agent);
      showStatus(fresh);
      renderActions(fresh);
    }
  }

  function renderActions(a) {
    const operator = can('PM', 'ADMIN');
    const live = a.status === 'Active' || a.status === 'Paused';
    clear(actions,
      operator && a.status !== 'Deprecated' ? h('a', { class: 'button', href: `#/agents/${id}/edit` }, 'Edit') : null,
      can('PM', 'COMPLIANCE', 'ADMIN') ? h('a', { class: 'button', href: `#/agents/${id}/test` }, 'Test in the workbench') : null,
      operator && a.status !== 'Deprecated' && a.status !== 'Deploying' && !(live && liveVersion === a.version)
        ? h('button', { type: 'button', class: 'primary', id: 'deploy', onclick: () => act('Deploy', 'deploy') },
          live ? 'Deploy this version' : 'Deploy') : null,
      operator && a.status === 'Active' ? h('button', { type: 'button', onclick: () => act('Pause', 'pause') }, 'Pause') : null,
      operator && a.status === 'Paused' ? h('button', { type: 'button', onclick: () => act('Resume', 'resume') }, 'Resume') : null,
      operator && live ? rollback(a) : null,
      operator && live ? h('button', { type: 'button', class: 'danger', onclick: () => act('Undeploy', 'undeploy') }, 'Undeploy') : null);
  }

  function rollback(a) {
    const select = h('select', { id: 'rollback-to', 'aria-label': 'Version to roll back to' },
      h('option', { value: '' }, 'the previous deployment'),
      Array.from({ length: a.version }, (_, i) => a.version - i).map(v => h('option', { value: v }, `version ${v}`)));
    return h('span', { class: 'inline' }, h('button', { type: 'button', onclick: () =>
      act('Roll back', 'rollback', select.value ? { toVersion: Number(select.value) } : undefined) }, 'Roll back to'), ' ', select);
  }

  showStatus(agent, waiting ? `${waiting} request${waiting > 1 ? 's' : ''} waiting for approval` : '');
  renderActions(agent);
  const node = h('section', {},
    h('p', { class: 'crumbs' }, h('a', { href: '#/agents' }, 'Agents'), ' / ', agent.name),
    h('h1', {}, agent.name), h('p', {}, agent.description), status, actions, problem,
    h('nav', { class: 'tabs', 'aria-label': 'Agent sections' }, tabs.map(([t, label]) =>
      h('a', { href: `#/agents/${id}/${t}`, 'aria-current': t === current ? 'page' : null }, label))),
    panel);
  let leave = null;
  let refresh = null;
  if (current === 'versions') clear(panel, await versions(agentPath));
  else if (current === 'code') clear(panel, await code(agentPath));
  else if (current === 'deployments') clear(panel, await deployments(agentPath));
  else if (current === 'executions') clear(panel, await executions(id, agentPath));
  else ({ stop: leave, load: refresh } = await overview(panel, id));
  return { node, leave };
}

async function overview(panel, id) {
  async function load() {
    const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const [metrics, logs] = await Promise.all([
      get(`/api/monitoring/agents/${id}/metrics?from=${encodeURIComponent(from)}&granularity=hour`),
      get(`/api/monitoring/agents/${id}/logs?limit=20`)]);
    const lat = metrics.decisionLatencyMicros || {};
    const approvals = metrics.approvals || {};
    clear(panel,
      h('h2', {}, 'Last 24 hours'),
      h('ul', { class: 'stats' },
        Object.entries(metrics.decisions || {}).map(([k, v]) => h('li', {}, h('strong', {}, v), ' ', k.toLowerCase().replace('_', ' '))),
        h('li', {}, h('strong', {}, metrics.activations ?? 0), ' activations'),
        h('li', {}, h('strong', {}, approvals.medianSecondsToDecide == null ? '—' : `${Math.round(approvals.medianSecondsToDecide)} s`),
          ' median time to approve')),
      metrics.series && metrics.series.length
        ? h('figure', {}, decisionsOverTime(metrics.series, 'Decisions per hour by outcome'),
          h('figcaption', {}, 'Decisions per hour: green ran, amber waited for a human, red refused.'))
        : empty('No decisions in the last 24 hours. Once the agent is deployed and proposes actions they show here.'),
      lat.p50 != null ? h('figure', {}, bars({ p50: lat.p50, p95: lat.p95, p99: lat.p99 }, 'µs', 'Decision latency'),
        h('figcaption', {}, 'Decision latency percentiles, microseconds.')) : null,
      h('h2', {}, 'Log'),
      logs.items.length ? h('table', {}, h('thead', {}, h('tr', {}, ['When', 'What', 'Level', 'Detail'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, logs.items.map(l => h('tr', { class: l.level },
          h('td', {}, when(l.at)), h('td', {}, l.kind), h('td', {}, l.level),
          h('td', {}, h('details', {}, h('summary', {}, logLine(l)), h('code', { class: 'wrap' }, JSON.stringify(l.detail))))))))
        : empty('Nothing logged yet.'));
  }
  await load();
  return { stop: liveApprovals(load, 15000), load: () => load().catch(() => {}) };
}

/** One line a person can read for a log entry; the whole entry is one click away. */
function logLine(entry) {
  const d = entry.detail || {};
  const short = v => String(v || '').slice(0, 12);
  switch (entry.kind) {
    case 'decision': return `${d.actionType}: ${d.decision}${d.status ? ` (${d.status})` : ''}, risk ${d.riskScore}`;
    case 'deployment': return `${d.kind} of version ${d.blueprintVersion}: ${d.outcome}${d.error ? ` — ${d.error.message || JSON.stringify(d.error)}` : ''}`;
    case 'approval': return `${d.kind || 'request'} ${d.status || ''}${d.decidedBy ? ` by ${d.decidedBy}` : ''}`;
    case 'activation': return `${d.eventType || d.type || 'event'}: ${d.reason || ''}`;
    case 'reload': return `${d.action || 'rules'} ${short(d.version)}`;
    default: return JSON.stringify(d).slice(0, 120);
  }
}

async function versions(agentPath) {
  const answer = await get(`${agentPath}/versions`);
  const list = Array.isArray(answer) ? answer : answer.items;
  if (list.length < 2) {
    return h('div', {}, h('h2', {}, 'Versions'), empty('Only one version so far. Every saved edit makes a new version you can compare here.'));
  }
  const left = h('select', { id: 'diff-left' }, list.map(v => h('option', { value: v.version }, `version ${v.version}`)));
  const right = h('select', { id: 'diff-right' }, list.map(v => h('option', { value: v.version }, `version ${v.version}`)));
  left.value = String(list[1].version);
  right.value = String(list[0].version);
  const out = h('div', {});
  const onlyChanges = h('input', { type: 'checkbox', id: 'only-changes', checked: true });
  function show() {
    const a = flatten(specOf(list.find(v => String(v.version) === left.value).blueprint));
    const b = flatten(specOf(list.find(v => String(v.version) === right.value).blueprint));
    const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
    const rows = keys.filter(k => !onlyChanges.checked || a.get(k) !== b.get(k)).map(k => h('tr', { class: a.get(k) === b.get(k) ? '' : 'changed' },
      h('th', { scope: 'row' }, k), h('td', {}, a.get(k) ?? '—'), h('td', {}, b.get(k) ?? '—')));
    clear(out, rows.length ? h('table', { class: 'diff' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'),
      h('th', { scope: 'col' }, `version ${left.value}`), h('th', { scope: 'col' }, `version ${right.value}`))), h('tbody', {}, rows))
      : empty('These two versions are the same.'));
  }
  [left, right, onlyChanges].forEach(el => el.addEventListener('change', show));
  show();
  return h('div', {}, h('h2', {}, 'Compare versions'),
    h('ul', { class: 'plain' }, list.map(v => h('li', {}, `version ${v.version} by ${v.createdBy}, ${when(v.createdAt)}`))),
    h('div', { class: 'inline' }, h('label', { for: 'diff-left' }, 'Compare'), left, h('label', { for: 'diff-right' }, 'with'), right,
      h('label', { for: 'only-changes' }, onlyChanges, ' only what changed')), out);
}

async function code(agentPath) {
  const answer = await get(`${agentPath}/code`);
  return h('div', {}, h('h2', {}, 'Generated rules'),
    h('p', {}, answer.live ? `The rules running now (version ${answer.blueprintVersion}).`
      : `What version ${answer.blueprintVersion} compiles to; it is not running.`),
    h('pre', { class: 'code', tabindex: 0, 'aria-label': 'Generated DRL' }, answer.drl));
}

async function deployments(agentPath) {
  const answer = await get(`${agentPath}/deployments`);
  if (!answer.items.length) return h('div', {}, h('h2', {}, 'Deployments'), empty('Not deployed yet: use Deploy above.'));
  return h('div', {}, h('h2', {}, 'Deployments'), h('table', {}, h('thead', {}, h('tr', {},
    ['Started', 'Kind', 'Version', 'Outcome', 'By', 'Error'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, answer.items.map(d => h('tr', {}, h('td', {}, when(d.startedAt)), h('td', {}, d.kind),
      h('td', {}, `v${d.blueprintVersion}`), h('td', {}, d.outcome || 'in progress'), h('td', {}, d.requestedBy),
      h('td', {}, d.error ? JSON.stringify(d.error) : '—'))))));
}

// What the agent reported executing that broke its clearance, and the receipt of any of its decisions.
async function executions(id, agentPath) {
  const answer = await get(`/api/monitoring/agents/${encodeURIComponent(id)}/violations?limit=100`);
  const receipt = h('div', { class: 'receipt' });
  async function show(decisionId) {
    const r = await get(`${agentPath}/decisions/${encodeURIComponent(decisionId)}/receipt`);
    const ap = r.approval;
    clear(receipt, h('h3', {}, `Receipt of ${decisionId}`), h('dl', { class: 'summary' },
      h('dt', {}, 'Proposed'), h('dd', {}, `${when(r.proposed.at)}: ${r.proposed.actionType}`, ' ',
        h('code', { class: 'wrap' }, JSON.stringify(r.proposed.payload))),
      h('dt', {}, 'Decided'), h('dd', {}, `${r.decided.decision} → ${r.decided.status}: ${(r.decided.reasons || []).join('; ')}`),
      ap ? [h('dt', {}, 'Approval'), h('dd', {}, `${ap.status}${ap.decidedBy ? ` by ${ap.decidedBy}` : ''}`,
        ap.edited ? [' with an edited payload ', h('code', { class: 'wrap' }, JSON.stringify(ap.payload))] : null)] : null,
      h('dt', {}, 'Executed'), h('dd', {}, r.executions.length ? h('ul', {}, r.executions.map(e => h('li', {},
        `${when(e.reportedAt)} by ${e.reportedBy}: ${e.outcome} `, h('code', { class: 'wrap' }, JSON.stringify(e.arguments)))))
        : 'not reported yet')));
  }
  const list = answer.items.length ? h('table', {}, h('thead', {}, h('tr', {},
    ['Reported', 'Action', 'Outcome', 'By', 'Receipt'].map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, answer.items.map(v => h('tr', {}, h('td', {}, when(v.reportedAt)), h('td', {}, v.actionType),
      h('td', {}, badge(v.outcome)), h('td', {}, v.reportedBy),
      h('td', {}, h('button', { type: 'button', onclick: () => show(v.decisionId) }, 'Show'))))))
    : empty('No violations: every execution this agent reported matched what was cleared.');
  return h('div', {}, h('h2', {}, 'Violations'), list, receipt);
}

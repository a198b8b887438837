// The compliance desk: the live rule set and its last refusal, custom rules, and the audit trail.
import { get, post } from './api.js';
import { h, clear, empty, field, when, badge, toast } from './dom.js';
import { change } from './change.js';

export async function compliance(tab) {
  const audit = tab === 'audit';
  const changing = tab === 'change';
  const body = audit ? await auditTrail() : changing ? await change() : await ruleSet();
  return {
    node: h('section', {},
      h('h1', {}, 'Compliance'),
      h('nav', { class: 'tabs', 'aria-label': 'Compliance' },
        h('a', { href: '#/compliance', 'aria-current': audit || changing ? null : 'page' }, 'Rules'),
        h('a', { href: '#/compliance?tab=change', 'aria-current': changing ? 'page' : null }, 'Change'),
        h('a', { href: '#/compliance?tab=audit', 'aria-current': audit ? 'page' : null }, 'Audit trail')),
      body),
  };
}

async function ruleSet() {
  const [status, listing] = await Promise.all([get('/api/rules/status'), get('/api/validation/rules')]);
  const refusal = status.lastRefusal;
  const filter = h('input', { id: 'rule-filter', type: 'search', placeholder: 'id, file or words' });
  const rows = h('tbody');
  function show() {
    const q = filter.value.trim().toLowerCase();
    const rules = listing.rules.filter(r => !q || [r.id, r.file, r.description, r.name].join(' ').toLowerCase().includes(q));
    clear(rows, rules.map(r => h('tr', {}, h('th', { scope: 'row' }, h('code', {}, r.id)), h('td', {}, r.tier ?? '—'),
      h('td', {}, r.severity ? badge(r.severity) : '—'), h('td', {}, r.description || r.name), h('td', {}, h('code', {}, r.file)))));
  }
  filter.addEventListener('input', show);
  show();
  return h('div', {},
    h('div', { class: 'card', id: 'rule-status' },
      h('h2', {}, 'Live rule set'),
      h('dl', { class: 'summary' },
        h('dt', {}, 'Version'), h('dd', {}, h('code', {}, status.version)),
        h('dt', {}, 'Loaded'), h('dd', {}, `${when(status.loadedAt)} from ${status.source}`),
        h('dt', {}, 'Rules'), h('dd', {}, `${status.ruleCount} rules in ${status.files.length} files; ${status.tests ? status.tests.cases + ' test cases pass' : 'no tests'}`),
        h('dt', {}, 'Every server'), h('dd', {}, status.inSync ? 'serves this version' : `should serve ${status.activeVersion}`)),
      h('button', { type: 'button', onclick: async () => {
        try {
          await post('/api/rules/reload');
          toast('Rules reloaded.', 'ok');
          location.reload();
        } catch (e) {
          toast(`Reload refused: ${e.message}`, 'error');
        }
      } }, 'Reload the rules folder now')),
    h('div', { class: 'card ' + (refusal ? 'refused' : ''), id: 'last-refusal' },
      h('h2', {}, 'Last refused change'),
      refusal ? [
        h('p', {}, `Refused ${when(refusal.at)} (${refusal.reason} check). The rules before it keep serving; fix the file and save it again.`),
        h('table', {}, h('thead', {}, h('tr', {}, ['File', 'Line', 'Message'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, refusal.errors.map(e => h('tr', { class: 'refusal' }, h('td', {}, h('code', {}, e.file)),
            h('td', { class: 'line' }, String(e.line)), h('td', {}, e.message)))))]
        : h('p', {}, 'No change has been refused since this server started.')),
    h('div', { class: 'card' },
      h('h2', {}, 'Custom rules of your organization'),
      listing.customRules.length ? h('ul', { class: 'plain' }, listing.customRules.map(c => h('li', {},
        h('code', {}, c.ruleId), ' ', c.name, c.description ? ` — ${c.description}` : '', ` (version ${c.version})`)))
        : empty('No custom rules yet. Compliance adds them with POST /api/validation/rules (see the README, “Custom rules of an organization”).')),
    h('div', { class: 'card' },
      h('h2', {}, 'Every rule'),
      field('Find a rule', filter),
      h('table', { class: 'rules' }, h('thead', {}, h('tr', {}, ['Id', 'Tier', 'Severity', 'What it does', 'File'].map(t => h('th', { scope: 'col' }, t)))), rows)));
}

async function auditTrail() {
  const inputs = {
    actor: h('input', { id: 'audit-actor', type: 'text' }),
    action: h('input', { id: 'audit-action', type: 'text', placeholder: 'e.g. decision.made' }),
    entityId: h('input', { id: 'audit-entity', type: 'text' }),
    from: h('input', { id: 'audit-from', type: 'datetime-local' }),
    to: h('input', { id: 'audit-to', type: 'datetime-local' }),
  };
  const results = h('div', { 'aria-live': 'polite' });
  const verify = h('div', { id: 'verify', class: 'card', 'aria-live': 'polite' });
  const exportLink = h('a', { class: 'button', id: 'export', download: 'audit.ndjson', href: '/api/audit/export' }, 'Export NDJSON');
  let page = 1;

  function query() {
    const q = new URLSearchParams();
    for (const [k, el] of Object.entries(inputs)) {
      if (!el.value) continue;
      q.set(k, k === 'from' || k === 'to' ? new Date(el.value).toISOString() : el.value.trim());
    }
    return q;
  }

  async function load() {
    const q = query();
    const range = new URLSearchParams();
    if (q.get('from')) range.set('from', q.get('from'));
    if (q.get('to')) range.set('to', q.get('to'));
    exportLink.href = '/api/audit/export' + (range.toString() ? '?' + range : '');
    q.set('page', page);
    q.set('limit', 25);
    try {
      const answer = await get('/api/audit?' + q);
      const pages = Math.max(1, Math.ceil(answer.total / answer.limit));
      clear(results, answer.items.length ? [
        h('table', { class: 'audit' }, h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'What', 'Entity', 'Rules'].map(t => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, answer.items.map(e => h('tr', {}, h('td', {}, e.id), h('td', {}, when(e.occurredAt)), h('td', {}, e.actor),
            h('td', {}, e.action), h('td', {}, `${e.entityType} `, h('code', { class: 'wrap' }, e.entityId)),
            h('td', {}, (e.rulesFired || []).join(' ')))))),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', disabled: page <= 1, onclick: () => { page -= 1; load(); } }, 'Newer'),
          h('span', {}, `page ${page} of ${pages} (${answer.total} entries)`),
          h('button', { type: 'button', disabled: page >= pages, onclick: () => { page += 1; load(); } }, 'Older'))]
        : empty('No audit entries match these filters. Clear a filter to see more.'));
    } catch (e) {
      clear(results, h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  async function check() {
    clear(verify, h('p', { class: 'loading' }, 'Verifying every seal…'));
    try {
      const v = await get('/api/audit/verify');
      const line = (label, r) => h('li', {}, `${label}: `, badge(r.valid ? 'intact' : 'BROKEN', r.valid ? 'ok' : 'error'),
        ` ${r.verified} entries verified${r.unsealed ? `, ${r.unsealed} not sealed yet` : ''}`);
      clear(verify, h('ul', { class: 'plain' }, line('Your organization', v.organization), line('System', v.system)),
        h('p', { class: 'meta' }, `Key epoch ${v.key.epoch}, fingerprint ${v.key.fingerprint}`));
    } catch (e) {
      clear(verify, h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  const form = h('form', { class: 'card filters', onsubmit: e => { e.preventDefault(); page = 1; load(); } },
    h('h2', {}, 'Filter'),
    h('div', { class: 'row' },
      field('Who', inputs.actor), field('What', inputs.action), field('Entity id', inputs.entityId),
      field('From', inputs.from), field('To', inputs.to)),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Show'),
      h('button', { type: 'button', id: 'verify-button', onclick: check }, 'Verify the trail'), exportLink));
  await load();
  return h('div', {}, form, verify, h('div', { class: 'card' }, results));
}

// The agent designer: a wizard over one blueprint, checked by the live rules (the validation dry run) as you go.
import { api, get } from './api.js';
import { h, clear, field, toast, badge, uid } from './dom.js';
import { read, write, body } from './blueprint.js';
import { session } from './app.js';
import { findingList, stepOf } from './findings.js';

const STEPS = [
  { id: 'basics', title: 'Basics' },
  { id: 'triggers', title: 'Triggers' },
  { id: 'context', title: 'Context' },
  { id: 'actions', title: 'Actions and approvals' },
  { id: 'validation', title: 'Validation' },
  { id: 'prompt', title: 'Prompt' },
  { id: 'review', title: 'Review' },
];

const EMPTY = {
  name: '', description: '', goal: '', industryProfile: 'RealEstate',
  triggerConfig: { mode: 'Reactive', eventTriggers: [], supportedIntents: [] },
  contextConfig: { requiredContextTypes: [], optionalContextTypes: [], accessLevel: 'ContactOnly' },
  actionConfig: { allowedActionTypes: [], maxAllowedScope: 'Hybrid', overrideMode: 'RiskBased' },
  validationConfig: { minConfidenceThreshold: 0.7, intensity: 'Standard' },
  promptConfig: { promptTemplateId: '' },
};

const SCOPES = ['InnerWorld', 'Hybrid', 'RealWorld'];

export async function designer(agentId, templateId) {
  let bp;
  let etag = null;
  let origin;
  if (agentId) {
    const response = await api('GET', `/api/agents/${encodeURIComponent(agentId)}`);
    bp = response.body;
    etag = response.etag;
    origin = `Editing ${bp.name}, version ${bp.version} (${bp.status})`;
  } else if (templateId) {
    const template = await get(`/api/templates/${encodeURIComponent(templateId)}`);
    bp = structuredClone(template.blueprint);
    origin = `From the template “${template.title}” (version ${template.version})`;
  } else {
    bp = structuredClone(EMPTY);
    origin = 'From an empty blueprint';
  }
  const catalog = session.catalog;
  const scopeOf = Object.fromEntries(catalog.actionTypes.map(a => [a.name, a.scope]));
  let step = 'basics';
  let report = null;
  let checking = null;
  let timer = null;

  const stepper = h('ol', { class: 'stepper' });
  const pane = h('form', { class: 'card step', novalidate: true, onsubmit: e => e.preventDefault() });
  const side = h('aside', { class: 'card side', 'aria-label': 'What the rules say' });
  const node = h('section', { class: 'designer' },
    h('h1', {}, agentId ? `Edit agent` : 'Design a new agent'),
    h('p', { class: 'meta' }, origin),
    stepper, h('div', { class: 'columns' }, pane, side));

  // ---- controls bound to blueprint paths --------------------------------------------------------
  const idFor = (path, suffix) => 'f-' + path.replace(/\./g, '-') + (suffix ? '-' + suffix : '');

  function text(path, label, hint, { multiline = false, placeholder } = {}) {
    const value = read(bp, path) ?? '';
    const control = multiline
      ? h('textarea', { id: idFor(path), rows: 3, placeholder }, value)
      : h('input', { id: idFor(path), type: 'text', value, placeholder });
    control.value = value;
    control.addEventListener('input', () => changed(path, control.value, false));
    return field(label, control, { hint, path });
  }

  function list(path, label, hint) {
    const value = (read(bp, path) || []).join(', ');
    const control = h('input', { id: idFor(path), type: 'text', value });
    control.value = value;
    control.addEventListener('input', () => changed(path,
      control.value.split(',').map(s => s.trim()).filter(Boolean), false));
    control.addEventListener('change', () => render());
    return field(label, control, { hint: hint + ' Separate several with commas.', path });
  }

  function number(path, label, hint, { min, max, step: inc = 'any', fallback } = {}) {
    const value = read(bp, path) ?? fallback ?? '';
    const control = h('input', { id: idFor(path), type: 'number', min, max, step: inc, value });
    control.value = value;
    control.addEventListener('input', () => changed(path, control.value === '' ? undefined : Number(control.value), false));
    return field(label, control, { hint, path });
  }

  function toggle(path, label, hint) {
    const control = h('input', { id: idFor(path), type: 'checkbox', checked: !!read(bp, path) });
    control.addEventListener('change', () => changed(path, control.checked, true));
    const hintEl = h('p', { class: 'hint' }, hint);
    return h('div', { class: 'field check', dataset: { field: path } },
      h('label', { for: control.id }, control, ' ', label), hintEl, h('div', { class: 'findings', 'aria-live': 'polite' }));
  }

  /** One choice of an enum, each with what it means (from /api/catalog). */
  function choice(path, label, fallback) {
    const current = read(bp, path) ?? fallback;
    const name = uid('choice');
    const options = (catalog.enums[path] || []).map(c => {
      const id = idFor(path, c.value);
      const input = h('input', { type: 'radio', name, id, value: c.value, checked: c.value === current });
      input.addEventListener('change', () => changed(path, c.value, true));
      return h('div', { class: 'option' }, input,
        h('label', { for: id }, h('strong', {}, c.value), h('span', { class: 'meaning' }, c.meaning)));
    });
    return h('fieldset', { class: 'field choices', dataset: { field: path } }, h('legend', {}, label), options,
      h('div', { class: 'findings', 'aria-live': 'polite' }));
  }

  function checkboxes(path, label, values, describe, hint) {
    const chosen = new Set(read(bp, path) || []);
    const boxes = values.map(v => {
      const id = idFor(path, v);
      const input = h('input', { type: 'checkbox', id, value: v, checked: chosen.has(v) });
      input.addEventListener('change', () => {
        const now = new Set(read(bp, path) || []);
        if (input.checked) now.add(v); else now.delete(v);
        changed(path, values.filter(x => now.has(x)).concat([...now].filter(x => !values.includes(x))), true);
      });
      return h('div', { class: 'option' }, input, h('label', { for: id }, v, describe ? describe(v) : null));
    });
    const unknown = [...chosen].filter(v => !values.includes(v));
    return h('fieldset', { class: 'field boxes', dataset: { field: path } }, h('legend', {}, label),
      hint ? h('p', { class: 'hint' }, hint) : null,
      h('div', { class: 'options' }, boxes),
      unknown.length ? h('p', { class: 'hint' }, 'Also set, not in the catalog: ' + unknown.join(', ')) : null,
      h('div', { class: 'findings', 'aria-live': 'polite' }));
  }

  function keyValues(path, label, hint) {
    const value = Object.entries(read(bp, path) || {}).map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n');
    const control = h('textarea', { id: idFor(path), rows: 3 });
    control.value = value;
    control.addEventListener('input', () => {
      const out = {};
      for (const line of control.value.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      changed(path, Object.keys(out).length ? out : undefined, false);
    });
    return field(label, control, { hint, path });
  }

  // ---- what matters when --------------------------------------------------------------------------
  const allowed = () => read(bp, 'actionConfig.allowedActionTypes') || [];
  const mode = () => read(bp, 'actionConfig.overrideMode') || 'RiskBased';
  const cap = () => SCOPES.indexOf(read(bp, 'actionConfig.maxAllowedScope') || 'Hybrid');
  const aboveCap = () => allowed().some(a => SCOPES.indexOf(scopeOf[a] || 'RealWorld') > cap());
  const approvalsHappen = () => mode() !== 'NeverAsk' || !!read(bp, 'validationConfig.requireApprovalForAllActions') || aboveCap();

  function stepFields(id) {
    switch (id) {
      case 'basics': return [
        text('name', 'Name', 'What people will call this agent.'),
        text('description', 'Description', 'What it does, in a sentence or two.', { multiline: true }),
        text('goal', 'Goal', 'What it should achieve, in plain language: the agent’s prompt starts from it.', { multiline: true }),
        choice('industryProfile', 'Industry', 'RealEstate'),
      ];
      case 'triggers': return [
        choice('triggerConfig.mode', 'How it starts work', 'Reactive'),
        list('triggerConfig.eventTriggers', 'Events that start it', 'Event types, e.g. lead.created.'),
        list('triggerConfig.supportedIntents', 'Intents it handles', 'What a person may ask it for, e.g. schedule_viewing.'),
      ];
      case 'context': return [
        checkboxes('contextConfig.requiredContextTypes', 'Context it needs', catalog.contextTypes, null,
          'It will not act without these.'),
        checkboxes('contextConfig.optionalContextTypes', 'Context it may use', catalog.contextTypes),
        choice('contextConfig.accessLevel', 'How far it may read', 'ContactOnly'),
      ];
      case 'actions': {
        const fields = [
          checkboxes('actionConfig.allowedActionTypes', 'Actions it may propose',
            catalog.actionTypes.map(a => a.name), v => h('span', { class: 'scope ' + scopeOf[v] }, scopeOf[v]),
            'InnerWorld stays inside; Hybrid drives work inside; RealWorld reaches people or systems outside.'),
          choice('actionConfig.maxAllowedScope', 'Highest scope without a human', 'Hybrid'),
          choice('actionConfig.overrideMode', 'Who decides', 'RiskBased'),
        ];
        if (mode() === 'RiskBased' || mode() === 'LLMDecision') {
          fields.push(number('actionConfig.riskThreshold', 'Risk that needs a human (0 to 1)',
            'At or above this risk score a person approves the action.', { min: 0, max: 1, step: 0.05, fallback: 0.7 }));
        }
        if (approvalsHappen()) {
          fields.push(number('actionConfig.requiredApprovals', 'Approvals needed',
            'How many different approvers must say yes.', { min: 1, max: 10, step: 1, fallback: 1 }));
          fields.push(text('actionConfig.approvalTimeout', 'Time to decide',
            'ISO-8601 duration, e.g. PT4H for four hours; after it the action does not run.', { placeholder: 'PT24H' }));
        }
        fields.push(number('actionConfig.actionConstraints.maxDailyActions', 'Most actions per day',
          'Leave empty for no daily cap.', { min: 1, step: 1 }));
        fields.push(text('actionConfig.actionConstraints.cooldownPeriod', 'Pause between actions to one contact',
          'Like 2h or PT2H; leave empty for none.'));
        return fields;
      }
      case 'validation': {
        const fields = [
          number('validationConfig.minConfidenceThreshold', 'Lowest confidence it may act on (0 to 1)',
            'Below this the action needs a human; the scope’s own floor still applies.', { min: 0, max: 1, step: 0.05, fallback: 0.7 }),
          toggle('validationConfig.requireApprovalForAllActions', 'A human approves every action',
            'Every action waits for an approver, whatever its risk.'),
        ];
        if (allowed().length) {
          fields.push(checkboxes('validationConfig.highRiskActionTypes', 'Actions that always count as high risk',
            allowed(), null, 'Only the actions it may propose are offered.'));
        }
        fields.push(choice('validationConfig.intensity', 'How strictly to check', 'Standard'));
        return fields;
      }
      case 'prompt': return [
        text('promptConfig.promptTemplateId', 'Prompt template', 'The id of the prompt your agent runtime uses, e.g. lead-follow-up-v1.'),
        keyValues('promptConfig.promptVariables', 'Prompt variables', 'One per line: name = value.'),
        text('promptConfig.customSystemPrompt', 'Own system prompt (optional)', 'Instead of, or on top of, the template.', { multiline: true }),
      ];
      default: return [review()];
    }
  }

  function review() {
    const rows = [
      ['Name', bp.name], ['Goal', bp.goal], ['Industry', bp.industryProfile],
      ['Starts', `${read(bp, 'triggerConfig.mode')}: ${(read(bp, 'triggerConfig.eventTriggers') || []).join(', ') || 'no events'}`],
      ['Context', (read(bp, 'contextConfig.requiredContextTypes') || []).join(', ') + ` (${read(bp, 'contextConfig.accessLevel')})`],
      ['Actions', allowed().join(', ') || 'none'],
      ['Who decides', `${mode()}, up to ${read(bp, 'actionConfig.maxAllowedScope') || 'Hybrid'} without a human`],
      ['Prompt', read(bp, 'promptConfig.promptTemplateId') || read(bp, 'promptConfig.customSystemPrompt') || '—'],
    ];
    return h('div', {},
      h('dl', { class: 'summary' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v || '—')])),
      h('div', { class: 'findings all', dataset: { field: '*' } }));
  }

  // ---- rendering ------------------------------------------------------------------------------------
  function renderStepper() {
    clear(stepper, STEPS.map((s, i) => {
      const count = report ? report.findings.filter(f => stepOf(f.field) === s.id && f.severity !== 'INFO').length : 0;
      return h('li', {}, h('button', { type: 'button', 'aria-current': s.id === step ? 'step' : null,
        onclick: () => go(s.id) }, `${i + 1}. ${s.title}`, count ? h('span', { class: 'count', 'aria-label': `${count} findings` }, count) : null));
    }));
  }

  function render() {
    const focused = document.activeElement && document.activeElement.id;
    renderStepper();
    const index = STEPS.findIndex(s => s.id === step);
    const saveLabel = agentId ? 'Save as a new version' : 'Save as draft';
    clear(pane, h('h2', {}, STEPS[index].title), stepFields(step),
      h('div', { class: 'buttons' },
        index > 0 ? h('button', { type: 'button', onclick: () => go(STEPS[index - 1].id) }, 'Back') : null,
        index < STEPS.length - 1 ? h('button', { type: 'button', class: 'primary', onclick: () => go(STEPS[index + 1].id) }, 'Next') : null,
        h('button', { type: 'button', class: index === STEPS.length - 1 ? 'primary' : '', id: 'save', onclick: save }, saveLabel)));
    showFindings();
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function go(id) {
    step = id;
    render();
    pane.querySelector('h2').tabIndex = -1;
    pane.querySelector('h2').focus();
  }

  function changed(path, value, rerender) {
    write(bp, path, value);
    if (rerender) render();
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  async function check() {
    const mine = Symbol('check');
    checking = mine;
    side.setAttribute('aria-busy', 'true');
    try {
      const answer = await api('POST', '/api/validation/agent', body(bp));
      if (checking !== mine) return;
      report = answer.body;
    } catch (e) {
      if (checking !== mine) return;
      report = { valid: false, findings: (e.details || []).map(d => ({ ruleId: 'request', tier: 0, severity: 'ERROR',
        message: d.problem || d.message || e.message, field: d.field })), approvalReasons: [] };
      if (!report.findings.length) report.findings.push({ ruleId: 'request', tier: 0, severity: 'ERROR', message: e.message });
    }
    renderStepper();
    showFindings();
  }

  function showFindings() {
    for (const box of pane.querySelectorAll('[data-field]')) {
      const path = box.dataset.field;
      const mine = !report ? [] : path === '*' ? report.findings
        : report.findings.filter(f => f.field === path || (f.field && f.field.startsWith(path + '.')));
      const target = box.querySelector(':scope > .findings') || box;
      clear(target, findingList(mine));
      box.classList.toggle('has-error', mine.some(f => f.severity === 'ERROR'));
    }
    side.removeAttribute('aria-busy');
    if (!report) {
      clear(side, h('h2', {}, 'What the rules say'), h('p', {}, 'Checking…'));
      return;
    }
    const elsewhere = report.findings.filter(f => stepOf(f.field) !== step && f.severity !== 'INFO');
    clear(side, h('h2', {}, 'What the rules say'),
      h('p', { id: 'verdict', class: report.valid ? 'ok' : 'error' },
        report.valid ? 'Valid: it can be saved and deployed.' : 'Not valid yet: fix the errors marked in red.'),
      report.riskLevel ? h('p', {}, 'Risk: ', badge(report.riskLevel)) : null,
      report.requiresApproval ? h('div', {}, h('p', {}, 'Deploying it needs an approval:'),
        h('ul', {}, report.approvalReasons.map(r => h('li', {}, r)))) : null,
      elsewhere.length ? h('div', {}, h('h3', {}, 'On other steps'), h('ul', { class: 'plain' }, elsewhere.map(f =>
        h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => go(stepOf(f.field)) },
          STEPS.find(s => s.id === stepOf(f.field)).title), ': ', h('code', { class: 'rule' }, f.ruleId), ' ', f.message)))) : null,
      report.ruleSetVersion ? h('p', { class: 'meta' }, `Rule set ${String(report.ruleSetVersion).slice(0, 12)}`) : null);
  }

  async function save() {
    const button = pane.querySelector('#save');
    button.disabled = true;
    try {
      let saved;
      if (agentId) {
        saved = await api('PUT', `/api/agents/${encodeURIComponent(agentId)}`, body(bp), etag ? { 'If-Match': etag } : {});
      } else {
        saved = await api('POST', '/api/agents', body(bp));
      }
      toast(`Saved ${saved.body.name}, version ${saved.body.version}.`, 'ok');
      location.hash = `#/agents/${saved.body.id}`;
    } catch (e) {
      button.disabled = false;
      const where = (e.details || []).map(d => d.field).filter(Boolean);
      toast(e.status === 412 ? 'Someone changed this agent meanwhile: reload the page to see their version, then edit again.'
        : `Not saved: ${e.message}${where.length ? ' (' + where.join(', ') + ')' : ''}`, 'error');
    }
  }

  render();
  check();
  return { node, leave: () => clearTimeout(timer) };
}

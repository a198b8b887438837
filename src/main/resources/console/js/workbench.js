// The testing workbench: propose a sample action to a draft or live agent and see what the rules decide.
// It is the what-if (POST /api/validation/action): nothing is stored, no daily cap or cooldown is used up.
import { api, get } from './api.js';
import { h, clear, field, badge, toast } from './dom.js';
import { session } from './app.js';
import { rulesFired } from './rulesfired.js';

function duration(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export async function workbench(id) {
  const agent = await get(`/api/agents/${encodeURIComponent(id)}`);
  const allowed = agent.actionConfig.allowedActionTypes || [];
  const known = session.catalog.actionTypes.map(a => a.name);
  const types = [...allowed, ...known.filter(t => !allowed.includes(t))];
  const actionType = h('select', { id: 'wb-action' }, h('optgroup', { label: 'Allowed for this agent' },
    allowed.map(t => h('option', { value: t }, t))), h('optgroup', { label: 'Not allowed (to see a refusal)' },
    types.filter(t => !allowed.includes(t)).map(t => h('option', { value: t }, t))));
  const confidence = h('input', { id: 'wb-confidence', type: 'number', min: 0, max: 1, step: 0.05, value: 0.9 });
  const contact = h('input', { id: 'wb-contact', type: 'text', value: 'contact-1' });
  const contextTypes = h('input', { id: 'wb-context', type: 'text',
    value: (agent.contextConfig.requiredContextTypes || []).join(', ') });
  const payload = h('textarea', { id: 'wb-payload', rows: 3 });
  payload.value = '{}';
  const overrides = h('textarea', { id: 'wb-overrides', rows: 2 });
  overrides.value = '{}';
  const reasoning = h('input', { id: 'wb-reasoning', type: 'text', value: 'the contact asked for it' });
  const paused = h('input', { id: 'wb-paused', type: 'checkbox' });
  const result = h('div', { id: 'wb-result', class: 'card', 'aria-live': 'polite' },
    h('p', {}, 'Fill in an action and press “Decide” to see what the rules would do.'));

  function parse(control, name) {
    try {
      const value = JSON.parse(control.value || '{}');
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      return value;
    } catch (e) {
      throw new Error(`${name} must be a JSON object, like {"amount": 250}`);
    }
  }

  async function decide(event) {
    event.preventDefault();
    let action;
    try {
      action = {
        actionType: actionType.value, confidence: Number(confidence.value), contactId: contact.value || null,
        contextTypes: contextTypes.value.split(',').map(s => s.trim()).filter(Boolean),
        payload: parse(payload, 'Payload'), userOverrides: parse(overrides, 'User overrides'), reasoning: reasoning.value || null,
      };
    } catch (e) {
      clear(result, h('p', { class: 'error', role: 'alert' }, e.message));
      return;
    }
    clear(result, h('p', { class: 'loading' }, 'Asking the rules…'));
    try {
      const answer = (await api('POST', '/api/validation/action', { agentId: id, action, paused: paused.checked })).body;
      clear(result,
        h('h2', {}, 'Decision: ', badge(answer.decision, answer.decision.toLowerCase()), ' ',
          h('span', { class: 'meta' }, `${answer.actionType}, ${answer.scope}`)),
        h('p', {}, `Risk ${answer.riskScore.toFixed(2)} · agent version ${answer.agentVersion} · ${answer.live ? 'the live agent' : 'the latest version, not deployed'} · nothing was stored`),
        h('h3', {}, 'Why'), h('ul', {}, answer.reasons.map(r => h('li', {}, r))),
        h('h3', {}, 'Rules that fired'), rulesFired(answer.rulesFired),
        answer.constraints.length ? h('p', { class: 'meta' }, answer.constraints.map(c =>
          `${c.ruleId}: ${c.kind === 'DAILY' ? `${c.usedToday ?? 0} of ${c.limit} today` : `${duration(c.limit)} between actions to one contact`}`).join(' · ')) : null);
    } catch (e) {
      const fields = (e.details || []).map(d => `${d.field}: ${d.problem || d.message}`);
      clear(result, h('p', { class: 'error', role: 'alert' }, e.message), fields.length ? h('ul', {}, fields.map(f => h('li', {}, f))) : null);
      toast('The action could not be tested: ' + e.message, 'error');
    }
  }

  const form = h('form', { class: 'card', onsubmit: decide },
    h('h2', {}, 'A sample action'),
    field('Action type', actionType, { hint: 'Pre-filled with what the blueprint allows.' }),
    field('Confidence (0 to 1)', confidence, { hint: 'How sure the agent says it is.' }),
    field('Contact', contact, { hint: 'Who the action is about.' }),
    field('Context types it used', contextTypes, { hint: 'Separate several with commas.' }),
    field('Payload (JSON)', payload, { hint: 'For example {"amount": 25000} to see the amount rules.' }),
    field('User overrides (JSON)', overrides, { hint: 'For example {"doNotContact": true}.' }),
    field('Agent’s reasoning', reasoning),
    h('div', { class: 'field check' }, h('label', { for: 'wb-paused' }, paused, ' As if the agent were paused')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'decide' }, 'Decide')));
  return {
    node: h('section', {},
      h('p', { class: 'crumbs' }, h('a', { href: '#/agents' }, 'Agents'), ' / ',
        h('a', { href: `#/agents/${id}` }, agent.name), ' / workbench'),
      h('h1', {}, `Test ${agent.name}`),
      h('p', {}, `Version ${agent.version}, ${agent.status}. The rules decide exactly as for a real action; nothing is stored or sent.`),
      h('div', { class: 'columns' }, form, result)),
  };
}

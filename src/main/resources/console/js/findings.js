// Validation findings as people read them: severity, tier, rule id and the message.
import { h, badge } from './dom.js';

const STEP_OF = { name: 'basics', description: 'basics', goal: 'basics', industryProfile: 'basics',
  industrySpecificConfig: 'basics', triggerConfig: 'triggers', contextConfig: 'context', actionConfig: 'actions',
  validationConfig: 'validation', promptConfig: 'prompt' };

/** The wizard step a finding's field belongs to (review when it names none). */
export function stepOf(field) {
  return (field && STEP_OF[field.split('.')[0]]) || 'review';
}

export function findingList(findings) {
  if (!findings.length) return null;
  return h('ul', { class: 'finding-list' }, findings.map(f => h('li', { class: 'finding ' + f.severity.toLowerCase(),
    dataset: { rule: f.ruleId } },
    badge(f.severity), ' ', f.tier ? h('span', { class: 'tier' }, `Tier ${f.tier}`) : null, ' ',
    h('code', { class: 'rule' }, f.ruleId), ' ', h('span', {}, f.message))));
}

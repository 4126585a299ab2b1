// The storefront's debug drawer: the visitor's stage and why, each slot's decision and why, the
// stage timeline, the profile, and a log of what happened. Everything is written as text.

const PROFILE_FIELDS = [
  ['events', 'Events'],
  ['sessions', 'Sessions'],
  ['activeDays', 'Active days'],
  ['signedUpAt', 'Signed up'],
  ['orders', 'Orders'],
  ['revenue', 'Revenue'],
  ['firstOrderAt', 'First order'],
  ['lastSeen', 'Last seen'],
  ['daysSinceLastSeen', 'Days since last seen'],
  ['lastNps', 'Last NPS'],
  ['openTickets', 'Open tickets'],
  ['referrals', 'Referrals'],
  ['cancelledAt', 'Cancelled'],
];
const TIMESTAMP_FIELDS = new Set(['signedUpAt', 'firstOrderAt', 'lastSeen', 'cancelledAt']);
const MAX_LOG = 60;

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(ms) {
  return ms === null || ms === undefined ? '—' : dateTime.format(new Date(ms));
}

/**
 * A stage reason for people: timestamps ("signedUpAt $withinLastDays 30 (was 1772452800000)") as
 * dates, long fractions ("daysSinceLastSeen $gte 45 (was 50.00000403935185)") to two decimals.
 */
export function readableReason(reason) {
  return reason
    .replace(/\(was (\d{12,13})\)/g, (whole, ms) => `(was ${formatTime(Number(ms))})`)
    .replace(/\(was (-?\d+\.\d{3,})\)/g, (whole, number) => `(was ${Number(number).toFixed(2)})`);
}

function formatField(name, value) {
  if (value === null || value === undefined) return '—';
  if (TIMESTAMP_FIELDS.has(name)) return formatTime(value);
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(1);
  return String(value);
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

/** The panel's elements, looked up once. */
export function debugDrawer(doc) {
  const $ = (id) => doc.getElementById(id);
  const nodes = {
    stage: $('debug-stage'),
    since: $('debug-since'),
    rule: $('debug-rule'),
    reason: $('debug-reason'),
    decisions: $('debug-decisions'),
    timeline: $('debug-timeline'),
    profile: $('debug-profile'),
    profileJson: $('debug-profile-json'),
    log: $('debug-log'),
    storage: $('debug-storage'),
  };
  const labelOf = (stages, id) => stages.get(id)?.label ?? id;

  return {
    /** Shows { stage, decisions, timeline, profile, storage } with stage labels from `stages` (id → stage). */
    show({ stage, decisions, timeline, profile, storage, restoreMs }, stages) {
      nodes.stage.textContent = `${labelOf(stages, stage.stage)} (${stage.stage})`;
      nodes.since.textContent = formatTime(stage.enteredAt);
      nodes.rule.textContent = stage.rule;
      nodes.reason.textContent = readableReason(stage.reason);

      nodes.decisions.replaceChildren(...decisions.map((decision) => {
        const row = element('tr');
        row.dataset.slot = decision.slot;
        const slot = element('th', decision.slot);
        slot.scope = 'row';
        const verdict = element('td');
        verdict.append(element('code', decision.ruleId ?? 'default', 'rule-id'), element('p', decision.reason, 'reason'));
        row.append(slot, verdict);
        return row;
      }));

      nodes.timeline.replaceChildren(...timeline.map((stay) => {
        const item = element('li');
        item.append(element('strong', labelOf(stages, stay.stage)),
          element('span', ` ${formatTime(stay.enteredAt)} → ${stay.leftAt === null ? 'now' : formatTime(stay.leftAt)}`));
        return item;
      }));

      nodes.profile.replaceChildren(...PROFILE_FIELDS.flatMap(([name, label]) => [
        element('dt', label), element('dd', formatField(name, profile[name])),
      ]));
      const { state, ...shown } = profile;  // state: the restore bookkeeping, not for people
      nodes.profileJson.textContent = JSON.stringify(shown, null, 2);

      const where = storage === 'indexeddb' ? 'IndexedDB (kept across reloads)' : `${storage} (this page only)`;
      nodes.storage.textContent = `Storage: ${where}. Tracker restored in ${restoreMs.toFixed(1)} ms.`;
    },

    /** Adds a line at the top of the log. */
    log(text, kind = 'info') {
      const item = element('li', text, `log-${kind}`);
      nodes.log.prepend(item);
      while (nodes.log.children.length > MAX_LOG) nodes.log.lastElementChild.remove();
    },
  };
}

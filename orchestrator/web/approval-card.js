import { h, pretty, uid } from './dom.js';

const REASONS = {
  destructive: 'This change cannot be undone.',
  bulk_write: 'This writes many records at once.',
};

const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The preview a tool's dry run gave: its summary in words, the whole of it on demand. */
function previewBlock(preview) {
  if (preview === undefined) return null;
  const summary =
    isPlainObject(preview) && typeof preview.summary === 'string'
      ? preview.summary
      : isPlainObject(preview) && isPlainObject(preview.error)
        ? `The dry run failed: ${preview.error.message ?? preview.error.code}`
        : undefined;
  return h(
    'div',
    { class: 'preview' },
    h('p', { class: 'label', text: 'Preview (dry run)' }),
    summary ? h('p', { text: summary }) : null,
    h('details', {}, h('summary', { text: 'Full preview' }), h('pre', { text: pretty(preview) })),
  );
}

/**
 * A card for an `approval_requested` event: the tool, its exact arguments, the dry-run
 * preview, and Approve / Deny (optional reason) / Edit (JSON arguments, validated here).
 * @param {{ approval_id: string, name: string, arguments: object, reason: string, preview?: unknown }} request
 * @param {(body: object) => Promise<{ status?: string, pending?: number } | undefined>} decide
 *   posts the decision; resolves once its stream ended, or with the 202 body
 */
export function approvalCard(request, decide) {
  const headingId = uid('approval');
  const reasonId = uid('deny-reason');
  const editId = uid('edit');
  const argsId = uid('edit-args');
  const argsErrorId = uid('edit-error');

  const status = h('p', { class: 'approval-status', role: 'status' });
  const reasonInput = h('input', { id: reasonId, type: 'text', maxlength: '2000', autocomplete: 'off' });
  const argsInput = h('textarea', {
    id: argsId,
    rows: '8',
    spellcheck: 'false',
    'aria-describedby': argsErrorId,
  });
  argsInput.value = pretty(request.arguments);
  const argsError = h('p', { id: argsErrorId, class: 'field-error' });

  const submit = async (body, label) => {
    for (const button of buttons) button.disabled = true;
    reasonInput.disabled = true;
    argsInput.disabled = true;
    status.textContent = `${label}…`;
    try {
      const result = await decide(body);
      status.textContent =
        result?.status === 'awaiting_approval'
          ? `${label}. Waiting for other approvals (${result.pending} pending).`
          : `${label}.`;
      element.dataset.state = 'decided';
      decision.hidden = true;
    } catch (error) {
      status.textContent = `Could not send the decision: ${error.message}`;
      for (const button of buttons) button.disabled = false;
      reasonInput.disabled = false;
      argsInput.disabled = false;
    }
  };

  const approve = h('button', { type: 'button', class: 'primary', text: 'Approve' });
  const deny = h('button', { type: 'button', class: 'danger', text: 'Deny' });
  const edit = h('button', {
    type: 'button',
    text: 'Edit',
    'aria-expanded': 'false',
    'aria-controls': editId,
  });
  const runEdited = h('button', { type: 'button', text: 'Run with these arguments' });
  const buttons = [approve, deny, edit, runEdited];

  approve.addEventListener('click', () => submit({ decision: 'approve' }, 'Approved'));
  deny.addEventListener('click', () => {
    const reason = reasonInput.value.trim();
    submit({ decision: 'deny', ...(reason ? { reason } : {}) }, 'Denied');
  });
  const editor = h(
    'div',
    { id: editId, class: 'editor', hidden: true },
    h('label', { for: argsId, text: 'Arguments (JSON)' }),
    argsInput,
    argsError,
    runEdited,
  );
  edit.addEventListener('click', () => {
    const open = editor.hidden;
    editor.hidden = !open;
    edit.setAttribute('aria-expanded', String(open));
    if (open) argsInput.focus();
  });
  runEdited.addEventListener('click', () => {
    let parsed;
    try {
      parsed = JSON.parse(argsInput.value);
    } catch (error) {
      parsed = error;
    }
    if (!isPlainObject(parsed) || parsed instanceof Error) {
      argsError.textContent =
        parsed instanceof Error
          ? `Not valid JSON: ${parsed.message}`
          : 'The arguments must be a JSON object.';
      argsInput.setAttribute('aria-invalid', 'true');
      argsInput.focus();
      return;
    }
    argsError.textContent = '';
    argsInput.removeAttribute('aria-invalid');
    submit({ decision: 'edit', arguments: parsed }, 'Edited and approved');
  });

  const decision = h(
    'div',
    { class: 'decision' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: reasonId, text: 'Reason for denying (optional)' }),
      reasonInput,
    ),
    h('div', { class: 'actions' }, approve, deny, edit),
    editor,
  );
  const element = h(
    'section',
    { class: 'approval', 'aria-labelledby': headingId, tabindex: '-1' },
    h('h4', { id: headingId }, 'Approval needed: ', h('code', { text: request.name })),
    h('p', { text: REASONS[request.reason] ?? `Reason: ${request.reason}` }),
    h('p', { class: 'label', text: 'Arguments' }),
    h('pre', { text: pretty(request.arguments) }),
    previewBlock(request.preview),
    decision,
    status,
  );
  return { element };
}

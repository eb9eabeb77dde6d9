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
 * The arguments editor: a JSON textarea (the call's arguments to start with) and "Run with
 * these arguments", which runs `onRun` with the parsed object, or says why it is not one.
 * @param {object} args
 * @param {(parsed: object) => void} onRun
 */
function argumentsEditor(args, onRun) {
  const editId = uid('edit');
  const argsId = uid('edit-args');
  const argsErrorId = uid('edit-error');
  const input = h('textarea', {
    id: argsId,
    rows: '8',
    spellcheck: 'false',
    'aria-describedby': argsErrorId,
  });
  input.value = pretty(args);
  const error = h('p', { id: argsErrorId, class: 'field-error' });
  const run = h('button', { type: 'button', text: 'Run with these arguments' });
  run.addEventListener('click', () => {
    let parsed;
    try {
      parsed = JSON.parse(input.value);
    } catch (failure) {
      parsed = failure;
    }
    if (!isPlainObject(parsed) || parsed instanceof Error) {
      error.textContent =
        parsed instanceof Error
          ? `Not valid JSON: ${parsed.message}`
          : 'The arguments must be a JSON object.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    onRun(parsed);
  });
  const element = h(
    'div',
    { id: editId, class: 'editor', hidden: true },
    h('label', { for: argsId, text: 'Arguments (JSON)' }),
    input,
    error,
    run,
  );
  return { element, input, run, id: editId };
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
  const status = h('p', { class: 'approval-status', role: 'status' });
  const reasonInput = h('input', { id: reasonId, type: 'text', maxlength: '2000', autocomplete: 'off' });
  const editor = argumentsEditor(request.arguments, (parsed) =>
    submit({ decision: 'edit', arguments: parsed }, 'Edited and approved'),
  );
  const approve = h('button', { type: 'button', class: 'primary', text: 'Approve' });
  const deny = h('button', { type: 'button', class: 'danger', text: 'Deny' });
  const edit = h('button', {
    type: 'button',
    text: 'Edit',
    'aria-expanded': 'false',
    'aria-controls': editor.id,
  });
  const inputs = [approve, deny, edit, editor.run, reasonInput, editor.input];
  const setEnabled = (enabled) => {
    for (const input of inputs) input.disabled = !enabled;
  };

  const submit = async (body, label) => {
    setEnabled(false);
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
      setEnabled(true);
    }
  };

  approve.addEventListener('click', () => submit({ decision: 'approve' }, 'Approved'));
  deny.addEventListener('click', () => {
    const reason = reasonInput.value.trim();
    submit({ decision: 'deny', ...(reason ? { reason } : {}) }, 'Denied');
  });
  edit.addEventListener('click', () => {
    const open = editor.element.hidden;
    editor.element.hidden = !open;
    edit.setAttribute('aria-expanded', String(open));
    if (open) editor.input.focus();
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
    editor.element,
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

import type { RenderedChildNode, RenderedRootNode } from '@hubspot/ui-extensions/testing';

// A picture of a rendered UI extension tree for the README: each HubSpot component drawn as
// plain HTML close to how HubSpot shows it (not HubSpot's own styles; the structure, text and
// state are the real render's). Used only to take screenshots.

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
type Props = Record<string, unknown>;
const COLORS: Record<string, string> = { success: '#00a38d', warning: '#f5c26b', error: '#f2545b', danger: '#f2545b', info: '#7fd1de', default: '#cbd6e2' };

function children(nodes: RenderedChildNode[]): string {
  return nodes.map(node).join('');
}

function node(n: RenderedChildNode): string {
  if (n.nodeType === 'text') return esc(n.text);
  const p = n.props as Props;
  const inner = children(n.childNodes);
  switch (n.name) {
    case 'Flex':
      return `<div style="display:flex;flex-direction:${p.direction === 'row' ? 'row' : 'column'};gap:${p.gap === 'xs' ? 4 : p.gap === 'md' ? 16 : 8}px;align-items:${p.direction === 'row' ? 'center' : 'stretch'};flex-wrap:wrap">${inner}</div>`;
    case 'Text':
      return `<p style="margin:0;${p.variant === 'microcopy' ? 'font-size:12px;color:#516f90;' : ''}${(p.format as Props | undefined)?.fontWeight ? 'font-weight:600;' : ''}">${inner}</p>`;
    case 'Heading':
      return `<h4 style="margin:4px 0;font-size:14px">${inner}</h4>`;
    case 'Tag':
    case 'StatusTag':
      return `<span style="display:inline-block;border-radius:3px;padding:1px 6px;font-size:11px;font-weight:600;background:${COLORS[String(p.variant ?? 'default')] ?? COLORS.default}33;border:1px solid ${COLORS[String(p.variant ?? 'default')] ?? COLORS.default}">${inner}</span>`;
    case 'Button':
      return `<button style="font:inherit;font-size:12px;padding:${p.size === 'xs' ? '2px 8px' : '6px 12px'};border-radius:3px;border:1px solid ${p.variant === 'primary' ? '#ff7a59' : '#cbd6e2'};background:${p.variant === 'primary' ? '#ff7a59' : '#eaf0f6'};color:${p.variant === 'primary' ? '#fff' : '#506e91'};opacity:${p.disabled ? 0.5 : 1};align-self:flex-start">${inner}</button>`;
    case 'Toggle':
      return `<label style="display:flex;gap:6px;align-items:center;font-size:13px"><span style="width:28px;height:14px;border-radius:7px;background:${p.checked ? '#00a38d' : '#cbd6e2'};display:inline-block"></span>${esc(p.label)}</label>`;
    case 'Select': {
      const opts = (p.options as Array<{ label: string; value: unknown }>) ?? [];
      const chosen = opts.find((o) => o.value === p.value)?.label ?? '';
      return `<label style="font-size:12px;font-weight:600">${esc(p.label ?? '')}<div style="border:1px solid #cbd6e2;border-radius:3px;padding:4px 8px;font-weight:400;background:#f5f8fa">${esc(chosen)} ▾</div></label>`;
    }
    case 'Input':
    case 'NumberInput':
    case 'TextArea':
      return `<label style="font-size:12px;font-weight:600">${esc(p.label)}<div style="border:1px solid #cbd6e2;border-radius:3px;padding:4px 8px;font-weight:400;min-height:16px">${esc(p.value ?? '')}</div></label>`;
    case 'Alert':
      return `<div style="border-left:4px solid ${COLORS[String(p.variant ?? 'info')] ?? COLORS.info};background:#f5f8fa;padding:8px"><strong>${esc(p.title)}</strong>${inner}</div>`;
    case 'Tile':
      return `<div style="border:1px solid #dfe3eb;border-radius:4px;padding:8px">${inner}</div>`;
    case 'Divider':
      return '<hr style="border:0;border-top:1px solid #dfe3eb;width:100%;margin:4px 0">';
    case 'Accordion':
      return `<div><div style="font-weight:600;font-size:13px;margin-bottom:6px">▾ ${esc(p.title)}</div>${inner}</div>`;
    case 'DescriptionList':
      return `<div style="display:flex;flex-direction:column;gap:8px">${inner}</div>`;
    case 'DescriptionListItem':
      return `<div><div style="font-size:11px;color:#516f90;text-transform:uppercase">${esc(p.label)}</div>${inner}</div>`;
    case 'EmptyState':
      return `<div style="text-align:center;padding:12px;color:#516f90"><strong>${esc(p.title)}</strong>${inner}</div>`;
    case 'LoadingSpinner':
      return `<p>⟳ ${esc(p.label)}</p>`;
    default:
      return `<div>${inner}</div>`;
  }
}

export function treeToHtml(root: RenderedRootNode, title: string, width = 340): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;padding:16px;background:#f5f8fa;font-family:"Lexend Deca",Helvetica,Arial,sans-serif;color:#33475b;font-size:13px}</style></head>
<body><div style="width:${width}px;background:#fff;border:1px solid #dfe3eb;border-radius:4px">
<div style="padding:10px 12px;border-bottom:1px solid #dfe3eb;font-weight:600">${esc(title)}</div>
<div style="padding:12px">${children(root.childNodes)}</div></div></body></html>`;
}

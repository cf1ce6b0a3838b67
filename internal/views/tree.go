package views

import (
	"bytes"
	"context"
	"fmt"

	"github.com/a-h/templ"
)

// node is one rendered swap target and the swap targets inside it, in page order:
// the skills grid holds skill tiles, a skill tile holds its figures. A list (the
// agent rows) holds kids that come, go and move: its shape leaves them out
// entirely, so Diff places them one by one instead of re-sending the list.
type node struct {
	Tile
	kids []node
	list bool
}

// addNode adds n under parent (empty = top level), then its kids under n, so the
// set stays in page order with every container before its children. A node with
// kids gets a shape: its HTML with each kid cut out for a marker. Diff re-sends
// the node whole when the shape changes (a kid added or removed, the node's own
// class, header or text) and otherwise only the kids that changed.
func (ts *Tileset) addNode(n node, parent string) error {
	ts.add(n.ID, n.HTML, parent)
	if len(n.kids) > 0 {
		skel, err := skeleton(n.HTML, n.kids, !n.list)
		if err != nil {
			return fmt.Errorf("tile %s: %w", n.ID, err)
		}
		ts.shape[n.ID] = string(skel)
	}
	if n.list {
		order := make([]string, len(n.kids))
		for i, k := range n.kids {
			order[i] = k.ID
		}
		ts.lists[n.ID] = order
		if len(n.kids) == 0 {
			ts.shape[n.ID] = string(n.HTML)
		}
	}
	for _, k := range n.kids {
		if err := ts.addNode(k, n.ID); err != nil {
			return err
		}
	}
	return nil
}

// skeleton returns html with each kid's bytes, found in order, replaced by a
// marker (or just cut out when mark is false: a list's order is not its shape). Kids are rendered by the same components the container uses, so their
// bytes appear verbatim; one that does not is a template bug, reported rather
// than letting Diff miss its changes.
func skeleton(html []byte, kids []node, mark bool) ([]byte, error) {
	out := make([]byte, 0, len(html)/4+32*len(kids))
	rest := html
	for _, k := range kids {
		i := bytes.Index(rest, k.HTML)
		if i < 0 {
			return nil, fmt.Errorf("element %s not found verbatim in its container", k.ID)
		}
		out = append(out, rest[:i]...)
		if mark {
			out = append(out, "<!--"...)
			out = append(out, k.ID...)
			out = append(out, "-->"...)
		}
		rest = rest[i+len(k.HTML):]
	}
	return append(out, rest...), nil
}

// leaves renders each item alone with comp as a kid node whose id is id(item).
// Items without an id are not swap targets and are skipped.
func leaves[T any](ctx context.Context, items []T, id func(T) string, comp func(T) templ.Component) ([]node, error) {
	out := make([]node, 0, len(items))
	for _, it := range items {
		if id(it) == "" {
			continue
		}
		html, err := render(ctx, comp(it), 256)
		if err != nil {
			return nil, err
		}
		out = append(out, node{Tile: Tile{ID: id(it), HTML: html}})
	}
	return out, nil
}

// valued is leaves for items whose value is a swap target of its own inside them
// (value renders it, with id valueID(item); none when empty): a changed number
// travels alone, while a changed label, level or word re-sends the item.
func valued[T any](ctx context.Context, items []T, id, valueID func(T) string, comp, value func(T) templ.Component) ([]node, error) {
	out, err := leaves(ctx, items, id, comp)
	if err != nil {
		return nil, err
	}
	j := 0
	for _, it := range items {
		if id(it) == "" {
			continue
		}
		if vid := valueID(it); vid != "" {
			html, err := render(ctx, value(it), 48)
			if err != nil {
				return nil, err
			}
			out[j].kids = []node{{Tile: Tile{ID: vid, HTML: html}}}
		}
		j++
	}
	return out, nil
}

package views

import (
	"github.com/a-h/templ"

	"github.com/ccdash/ccdash/web/templates"
)

// The board list and the embed admin page show configuration, not the snapshot, so
// their props pass through like the sign-in pages' (see pages_access.go).
type (
	IndexPageProps  = templates.IndexPageProps
	BoardLink       = templates.BoardLink
	SiteHeader      = templates.SiteHeader
	NavLink         = templates.NavLink
	EmbedsPageProps = templates.EmbedsPageProps
	EmbedLinkRow    = templates.EmbedLinkRow
	EmbedBoard      = templates.EmbedBoard
	EmbedTile       = templates.EmbedTile
)

// IndexPage is the board list at /.
func IndexPage(p IndexPageProps) templ.Component { return templates.IndexPage(p) }

// EmbedsPage lists every board's tile ids for embed links.
func EmbedsPage(p EmbedsPageProps) templ.Component { return templates.EmbedsPage(p) }

package views

import (
	"github.com/a-h/templ"

	"github.com/ccdash/ccdash/web/templates"
)

// The board editor's pages (/admin/boards).
type (
	BoardsPageProps   = templates.BoardsPageProps
	BoardRow          = templates.BoardRow
	AuditRow          = templates.AuditRow
	BoardFormProps    = templates.BoardFormProps
	FormField         = templates.FormField
	TileChoice        = templates.TileChoice
	SkillChoice       = templates.SkillChoice
	SkillThresholdRow = templates.SkillThresholdRow
)

// BoardsPage is /admin/boards.
func BoardsPage(p BoardsPageProps) templ.Component { return templates.BoardsPage(p) }

// BoardFormPage is the create/edit form.
func BoardFormPage(p BoardFormProps) templ.Component { return templates.BoardFormPage(p) }

// BoardPreviewError is the preview frame of a form that does not make a board.
func BoardPreviewError(errs []string) templ.Component { return templates.BoardPreviewError(errs) }

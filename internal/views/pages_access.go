package views

import (
	"github.com/a-h/templ"

	"github.com/ccdash/ccdash/web/templates"
)

// The sign-in, sign-out and device-admin pages have no snapshot to adapt, so views
// passes them through unchanged; they live here so the server reaches templates only
// through views, and the import arrows stay server → views → templates.
type (
	LoginPageProps   = templates.LoginPageProps
	LogoutPageProps  = templates.LogoutPageProps
	DevicesPageProps = templates.DevicesPageProps
	DeviceRow        = templates.DeviceRow
	// APITokensPageProps and APITokenRow are /admin/api-tokens.
	APITokensPageProps = templates.APITokensPageProps
	APITokenRow        = templates.APITokenRow
	// ConfigPageProps and ReloadView are /admin/config.
	ConfigPageProps = templates.ConfigPageProps
	ReloadView      = templates.ReloadView
	// NoticeFormProps and BoardChoice are the manager board's announcement form.
	NoticeFormProps = templates.NoticeFormProps
	BoardChoice     = templates.BoardChoice
)

// ConfigPage is the admin page of the config file and its last reload.
func ConfigPage(p ConfigPageProps) templ.Component { return templates.ConfigPage(p) }

// APITokensPage is the admin page for integrations' API tokens.
func APITokensPage(p APITokensPageProps) templ.Component { return templates.APITokensPage(p) }

// LoginPage is the sign-in form.
func LoginPage(p LoginPageProps) templ.Component { return templates.LoginPage(p) }

// LogoutPage confirms a sign-out.
func LogoutPage(p LogoutPageProps) templ.Component { return templates.LogoutPage(p) }

// DevicesPage is the admin page for wall-display links.
func DevicesPage(p DevicesPageProps) templ.Component { return templates.DevicesPage(p) }

package simulator

import (
	"net/http"
	"strings"
	"time"
)

// handleC100Departments is GET global/departments (the `keywords` filter matches the
// name, case-sensitively, as a substring).
func (s *Simulator) handleC100Departments(w http.ResponseWriter, r *http.Request) {
	kw := r.URL.Query().Get("keywords")
	out := []map[string]any{}
	s.View(func(wd *World) {
		for _, sk := range wd.SkillsOf(VendorComm100) {
			if kw != "" && !strings.Contains(sk.Name, kw) {
				continue
			}
			ids := []string{}
			for _, a := range wd.AgentsOf(VendorComm100) {
				if a.Serves(sk.ID) {
					ids = append(ids, a.ID)
				}
			}
			out = append(out, map[string]any{
				"id": sk.ID, "name": sk.Name, "description": sk.Name + " department",
				"isAvailableInLiveChat": true, "isAvailableInTicketingAndMessaging": true,
				"offlineMessageMailTo": "toAllAgents", "offlineMessageEmailAddresses": "",
				"agentIds": ids, "isDeleted": false, "chatbotStartTriggerActionIds": []string{},
				"shiftIds": []string{}, "segmentIds": []string{},
			})
		}
	})
	writeJSON(w, http.StatusOK, out)
}

// handleC100Agents is GET global/agents: the agent directory with departmentIds.
func (s *Simulator) handleC100Agents(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	s.View(func(wd *World) {
		created := wd.started.AddDate(-1, 0, 0).UTC().Format(time.RFC3339)
		for _, a := range wd.AgentsOf(VendorComm100) {
			out = append(out, map[string]any{
				"id": a.ID, "email": a.Email, "displayName": a.Name,
				"firstName": a.FirstName, "lastName": a.LastName, "isAdmin": false, "isActive": true,
				"phone": "", "title": "Agent", "bio": "", "timeZone": wd.loc.String(),
				"datetimeFormat": "", "createdTime": created, "isLocked": false, "lockedTime": nil,
				"ifCustomizeAvatar": false, "customizeAvatar": "", "systemAvatarId": nil, "avatar": "",
				"permissionIds": []string{}, "departmentIds": append([]string{}, a.Skills...),
				"roleIds": []string{}, "skillIds": []string{}, "superAgentId": nil,
			})
		}
	})
	writeJSON(w, http.StatusOK, out)
}

// handleC100AwayStatuses is GET global/agentAwayStatuses: the system "Away" and the
// custom reasons.
func (s *Simulator) handleC100AwayStatuses(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	s.View(func(wd *World) {
		for _, r := range wd.ReasonsOf(VendorComm100) {
			out = append(out, map[string]any{"id": r.ID, "name": r.Name, "order": r.Order, "isSystem": r.System})
		}
	})
	writeJSON(w, http.StatusOK, out)
}

// handleC100ChatServerAgents is GET livechat/agents: status by name ("Online",
// "Offline", "Away" or the custom away status's name) and ongoing chats.
func (s *Simulator) handleC100ChatServerAgents(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	s.View(func(wd *World) {
		for _, a := range wd.AgentsOf(VendorComm100) {
			status := "Offline"
			switch a.Status {
			case StatusOnline:
				status = "Online"
			case StatusAway, StatusBackSoon:
				status = "Away"
				if r := wd.Reason(a.ReasonID); r != nil {
					status = r.Name
				}
			}
			out = append(out, map[string]any{"id": a.ID, "status": status, "ongoingChats": len(a.Open)})
		}
	})
	writeJSON(w, http.StatusOK, out)
}

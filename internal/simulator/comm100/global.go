package comm100

import (
	"net/http"
	"strings"
	"time"

	"github.com/ccdash/ccdash/internal/simulator"
)

// handleC100Departments is GET global/departments (the `keywords` filter matches the
// name, case-sensitively, as a substring).
func (s *server) handleC100Departments(w http.ResponseWriter, r *http.Request) {
	kw := r.URL.Query().Get("keywords")
	out := []map[string]any{}
	s.View(func(wd *simulator.World) {
		for _, sk := range wd.SkillsOf(simulator.VendorComm100) {
			if kw != "" && !strings.Contains(sk.Name, kw) {
				continue
			}
			ids := []string{}
			for _, a := range wd.AgentsOf(simulator.VendorComm100) {
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
	simulator.WriteJSON(w, http.StatusOK, out)
}

// handleC100Agents is GET global/agents: the agent directory with departmentIds.
func (s *server) handleC100Agents(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	s.View(func(wd *simulator.World) {
		created := wd.Started().AddDate(-1, 0, 0).UTC().Format(time.RFC3339)
		for _, a := range wd.AgentsOf(simulator.VendorComm100) {
			out = append(out, map[string]any{
				"id": a.ID, "email": a.Email, "displayName": a.Name,
				"firstName": a.FirstName, "lastName": a.LastName, "isAdmin": false, "isActive": true,
				"phone": "", "title": "Agent", "bio": "", "timeZone": wd.Location().String(),
				"datetimeFormat": "", "createdTime": created, "isLocked": false, "lockedTime": nil,
				"ifCustomizeAvatar": false, "customizeAvatar": "", "systemAvatarId": nil, "avatar": "",
				"permissionIds": []string{}, "departmentIds": append([]string{}, a.Skills...),
				"roleIds": []string{}, "skillIds": []string{}, "superAgentId": nil,
			})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

// handleC100AwayStatuses is GET global/agentAwayStatuses: the system "Away" and the
// custom reasons.
func (s *server) handleC100AwayStatuses(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	s.View(func(wd *simulator.World) {
		for _, r := range wd.ReasonsOf(simulator.VendorComm100) {
			out = append(out, map[string]any{"id": r.ID, "name": r.Name, "order": r.Order, "isSystem": r.System})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

// handleC100ChatServerAgents is GET livechat/agents: status by name ("Online",
// "Offline", "Away" or the custom away status's name) and ongoing chats.
func (s *server) handleC100ChatServerAgents(w http.ResponseWriter, _ *http.Request) {
	out := []map[string]any{}
	s.View(func(wd *simulator.World) {
		for _, a := range wd.AgentsOf(simulator.VendorComm100) {
			status := "Offline"
			switch a.Status {
			case simulator.StatusOnline:
				status = "Online"
			case simulator.StatusAway, simulator.StatusBackSoon:
				status = "Away"
				if r := wd.Reason(a.ReasonID); r != nil {
					status = r.Name
				}
			}
			out = append(out, map[string]any{"id": a.ID, "status": status, "ongoingChats": len(a.Open)})
		}
	})
	simulator.WriteJSON(w, http.StatusOK, out)
}

package auth

import "testing"

func TestWallURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, board, want string
		wantErr                 bool
	}{
		{"plain", "http://localhost:8080", "lobby", "http://localhost:8080/wall/lobby?device=dev_x", false},
		{"trailing slash", "https://d.example/", "lobby", "https://d.example/wall/lobby?device=dev_x", false},
		{"sub path", "https://d.example/ccdash", "lobby", "https://d.example/ccdash/wall/lobby?device=dev_x", false},
		{"relative", "/x", "lobby", "", true},
		{"javascript", "javascript:alert(1)", "lobby", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := WallURL(tt.base, tt.board, "dev_x")
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("WallURL(%q) = %q, %v; want %q (error %v)", tt.base, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

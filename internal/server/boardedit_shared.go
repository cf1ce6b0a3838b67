package server

import "context"

// ReloadBoards serves the edited boards as the store holds them now, after the
// config file's: replicas call it on the board store's change notification, so a
// board edited on one replica is served, and its open screens re-render, on all.
func (s *Server) ReloadBoards(ctx context.Context) error {
	s.edit.mu.Lock()
	defer s.edit.mu.Unlock()
	stored, err := s.storedBoards(ctx)
	if err != nil {
		return err
	}
	return s.serveComposed(s.edit.cfg, stored)
}

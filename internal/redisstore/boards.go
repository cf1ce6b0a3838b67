package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/ccdash/ccdash/internal/boardstore"
)

// Boards is the boardstore.Store and boardstore.Audit shared by replicas: the edited
// boards in one hash (id → JSON), made by admins only, each write notifying the other
// replicas (Watch) so they serve the same boards; the audit log in one list, newest
// first, each element "<unix ms> <JSON>" so the append script can drop entries by age
// without decoding them, bounded to boardstore.MaxEntries and MaxAge.
type Boards struct {
	h     notedHash[boardstore.Board]
	c     *redis.Client
	audit string
}

var (
	_ boardstore.Store = (*Boards)(nil)
	_ boardstore.Audit = (*Boards)(nil)
)

// NewBoards returns the board store and audit log under prefix (Prefix(name)).
func NewBoards(c *redis.Client, prefix string) *Boards {
	return &Boards{h: newNotedHash[boardstore.Board](c, prefix+"boards"), c: c, audit: prefix + "board_audit"}
}

// List implements boardstore.Store, by id.
func (s *Boards) List(ctx context.Context) ([]boardstore.Board, error) {
	bs, err := s.h.list(ctx)
	if err != nil {
		return nil, fmt.Errorf("redisstore: boards: list: %w", err)
	}
	return bs, nil
}

// Put implements boardstore.Store.
func (s *Boards) Put(ctx context.Context, b boardstore.Board) error {
	if b.ID == "" {
		return errors.New("redisstore: boards: put: empty id")
	}
	if err := s.h.put(ctx, b.ID, b); err != nil {
		return fmt.Errorf("redisstore: boards: put %s: %w", b.ID, err)
	}
	return nil
}

// Delete implements boardstore.Store.
func (s *Boards) Delete(ctx context.Context, id string) error {
	n, err := s.h.del(ctx, id)
	if err != nil {
		return fmt.Errorf("redisstore: boards: delete %s: %w", id, err)
	}
	if n == 0 {
		return boardstore.ErrUnknownBoard
	}
	return nil
}

// Watch calls reload after every change any replica makes to the edited boards,
// until ctx is done.
func (s *Boards) Watch(ctx context.Context, reload func(context.Context)) {
	s.h.news.Watch(ctx, reload)
}

// appendScript pushes ARGV[1] at the head, keeps ARGV[3] entries at most, then drops
// from the tail those older than ARGV[2] (unix ms), in one atomic step.
var appendScript = redis.NewScript(`
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
local cut = tonumber(ARGV[2])
while true do
  local last = redis.call('LINDEX', KEYS[1], -1)
  if not last then return 0 end
  local at = tonumber(string.match(last, '^(%-?%d+) '))
  if at == nil or at >= cut then return 0 end
  redis.call('RPOP', KEYS[1])
end`)

// Append implements boardstore.Audit.
func (s *Boards) Append(ctx context.Context, e boardstore.Entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("redisstore: board audit: append: %w", err)
	}
	item := strconv.FormatInt(e.At.UnixMilli(), 10) + " " + string(raw)
	cut := e.At.Add(-boardstore.MaxAge).UnixMilli()
	if err := appendScript.Run(ctx, s.c, []string{s.audit}, item, cut, boardstore.MaxEntries).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redisstore: board audit: append: %w", err)
	}
	return nil
}

// Recent implements boardstore.Audit.
func (s *Boards) Recent(ctx context.Context, limit int) ([]boardstore.Entry, error) {
	if err := ctx.Err(); err != nil || limit <= 0 {
		return nil, err
	}
	items, err := s.c.LRange(ctx, s.audit, 0, int64(limit)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: board audit: recent: %w", err)
	}
	out := make([]boardstore.Entry, 0, len(items))
	for _, it := range items {
		_, raw, ok := strings.Cut(it, " ")
		var e boardstore.Entry
		if !ok {
			return nil, errors.New("redisstore: board audit: recent: an entry without its time")
		}
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, fmt.Errorf("redisstore: board audit: recent: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}

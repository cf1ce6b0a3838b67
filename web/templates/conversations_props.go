package templates

// ConversationsTileProps is a drill-down's list of the conversations behind the
// skill's figures (LivePerson: open messaging conversations, chats that ended
// unanswered). It is one swap target, rendered once per variant.
type ConversationsTileProps struct {
	TileMeta
	Title string
	// Loading is set until the first fetch of the list has come back.
	Loading bool
	// Open and Ended are the two lists; a nil list is not shown (the skill lacks
	// that channel), an empty one says so.
	Open, Ended *ConvList
	// ShowText adds the latest customer message (the board's show_transcripts).
	ShowText bool
	// Note says where the lists come from and when they were fetched; Problem why
	// the latest refresh failed (the lists are the last good ones).
	Note, UpdatedMS, Problem string
}

// ConvList is one list of the tile with its heading and empty text.
type ConvList struct {
	Heading, Empty string
	Rows           []ConvRow
}

// ConvRow is one conversation. SinceMS ticks in the page (time in queue of an open
// conversation); Waited is fixed text for an ended one.
type ConvRow struct {
	ID, ShortID string
	State       string // waiting, assigned, abandoned, missed
	StateLabel  string
	SinceMS     string // when it (last) entered the queue
	EndedMS     string // ended chats only
	Waited      string // ended chats: time in queue before it ended
	Agent       string
	Origin      string
	Transfers   string
	Text        string
}

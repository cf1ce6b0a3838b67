package main

// Import rule: cmd/fanout is a measuring tool, not part of the server. It imports
// nothing of ccdash and talks to the server under test only over loopback HTTP and
// WebSocket, as wall pages do, so what it measures is what a deployment sees.

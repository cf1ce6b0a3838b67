package auth

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"
)

// memDevices is a map-backed DeviceStore for the CLI tests of this package, which cannot
// import internal/bolt (it imports auth). The real stores pass storetest.Devices.
type memDevices struct {
	mu      sync.Mutex
	devices []Device
	secrets map[string]string // secret → id
}

func newMemDevices() *memDevices { return &memDevices{secrets: map[string]string{}} }

func (m *memDevices) Create(ctx context.Context, board, name string) (Device, string, error) {
	if err := ValidateDevice(board, name); err != nil {
		return Device{}, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d := Device{ID: strconv.Itoa(len(m.devices) + 1), Name: name, Board: board, CreatedAt: time.Now().UTC()}
	secret := NewDeviceSecret()
	m.devices = append(m.devices, d)
	m.secrets[secret] = d.ID
	return d, secret, nil
}

func (m *memDevices) find(id string) int {
	return slices.IndexFunc(m.devices, func(d Device) bool { return d.ID == id })
}

func (m *memDevices) Verify(ctx context.Context, secret string) (Device, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(m.secrets[secret])
	if i < 0 {
		return Device{}, ErrUnknownToken
	}
	if d := m.devices[i]; d.Revoked {
		return d, ErrRevoked
	}
	return m.devices[i], nil
}

func (m *memDevices) Touch(ctx context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(id)
	if i < 0 {
		return ErrUnknownDevice
	}
	m.devices[i].LastSeen = at
	return nil
}

func (m *memDevices) List(ctx context.Context) ([]Device, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.devices), nil
}

func (m *memDevices) Bind(ctx context.Context, id string, b Binding) error {
	if err := b.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(id)
	if i < 0 {
		return ErrUnknownDevice
	}
	m.devices[i].Board, m.devices[i].Playlist = b.Board, b.Playlist
	return nil
}

func (m *memDevices) Revoke(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(id)
	if i < 0 {
		return ErrUnknownDevice
	}
	m.devices[i].Revoked = true
	return nil
}

package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	pervichka "github.com/pervichka/pervichka"
	"github.com/pervichka/pervichka/intake"
	"github.com/pervichka/pervichka/storage/db"
)

// DoneFlag is the keyword set on a message once it is stored. The poller
// searches for messages without it, so a message a person has already read
// (\Seen) in the mailbox is still taken.
const DoneFlag imap.Flag = "$Pervichka"

// Options tune a Poller.
type Options struct {
	// Interval between polls; default one minute.
	Interval time.Duration
	// MaxMessageBytes: a larger message is not fetched but recorded as
	// refused. Default 4 × the pipeline's default file limit (200 MB).
	MaxMessageBytes int64
	// TLSConfig for tls and starttls mailboxes; nil uses the system roots.
	TLSConfig *tls.Config
	Logger    *slog.Logger
}

// Poller takes new mail from one mailbox.
type Poller struct {
	mb   Mailbox
	recv *intake.Receiver
	opt  Options
	log  *slog.Logger
}

// NewPoller returns a poller of mb that hands files to recv.
func NewPoller(mb Mailbox, recv *intake.Receiver, opt Options) *Poller {
	if opt.Interval <= 0 {
		opt.Interval = time.Minute
	}
	if opt.MaxMessageBytes <= 0 {
		opt.MaxMessageBytes = 4 * pervichka.DefaultLimits().MaxBytes
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Poller{mb: mb, recv: recv, opt: opt, log: opt.Logger.With("mailbox", mb.Name())}
}

// Run polls until ctx ends. A failed poll (server down, bad password) is
// logged and tried again at the next interval.
func (p *Poller) Run(ctx context.Context) {
	for {
		if st, err := p.Poll(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			p.log.Warn("mail poll failed", "err", err)
		} else if st.Messages > 0 {
			p.log.Info("mail polled", "messages", st.Messages, "documents", st.Documents)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.opt.Interval):
		}
	}
}

// PollStats counts what one poll did.
type PollStats struct {
	Messages  int // messages processed and flagged
	Documents int // files stored as documents (new or linked)
}

// Poll connects, takes every message not yet flagged done, and logs out.
// An error leaves the message it happened on (and those after it) unflagged,
// for the next poll.
func (p *Poller) Poll(ctx context.Context) (PollStats, error) {
	var st PollStats
	c, err := p.dial()
	if err != nil {
		return st, err
	}
	// imapclient takes no context: closing the connection is how a
	// shutdown interrupts a poll.
	stop := context.AfterFunc(ctx, func() { _ = c.Close() })
	defer stop()
	defer c.Close()
	if err := c.Login(p.mb.User, p.mb.Password).Wait(); err != nil {
		return st, fmt.Errorf("%s: login: %w", p.mb.Name(), err)
	}
	sel, err := c.Select(p.mb.Folder, nil).Wait()
	if err != nil {
		return st, fmt.Errorf("%s: select: %w", p.mb.Name(), err)
	}
	if sel.NumMessages == 0 {
		return st, c.Logout().Wait()
	}
	// A server that takes no keywords of the client's own (no \* in
	// PERMANENTFLAGS) gets \Seen alone as the done mark: then a message a
	// person opened in the mailbox before the poll is not taken.
	done := []imap.Flag{imap.FlagSeen, DoneFlag}
	if !slices.Contains(sel.PermanentFlags, imap.FlagWildcard) && !slices.Contains(sel.PermanentFlags, DoneFlag) {
		p.log.Warn("the server stores no custom keywords: unread mail only is taken", "keyword", DoneFlag)
		done = []imap.Flag{imap.FlagSeen}
	}
	found, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: done[len(done)-1:]}, nil).Wait()
	if err != nil {
		return st, fmt.Errorf("%s: search: %w", p.mb.Name(), err)
	}
	uids := found.AllUIDs()
	if len(uids) == 0 {
		return st, c.Logout().Wait()
	}
	heads, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true, Envelope: true}).Collect()
	if err != nil {
		return st, fmt.Errorf("%s: fetch sizes: %w", p.mb.Name(), err)
	}
	// A message that fails stays unflagged for the next poll; the others
	// go on, so that one bad message cannot hold up the mailbox.
	var errs []error
	for _, h := range heads {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		docs, err := p.take(ctx, c, h, uint32(sel.UIDValidity))
		if err == nil {
			err = p.markDone(c, h.UID, done)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: message uid %d: %w", p.mb.Name(), h.UID, err))
			if c.State() == imap.ConnStateLogout {
				break // the connection is gone: the rest waits for the next poll
			}
			continue
		}
		st.Messages++
		st.Documents += docs
	}
	if len(errs) > 0 {
		return st, errors.Join(errs...)
	}
	return st, c.Logout().Wait()
}

func (p *Poller) dial() (*imapclient.Client, error) {
	opt := &imapclient.Options{
		TLSConfig: p.opt.TLSConfig,
		Dialer:    &net.Dialer{Timeout: 30 * time.Second},
	}
	var c *imapclient.Client
	var err error
	switch p.mb.Security {
	case "plaintext":
		c, err = imapclient.DialInsecure(p.mb.Addr, opt)
	case "starttls":
		c, err = imapclient.DialStartTLS(p.mb.Addr, opt)
	default:
		c, err = imapclient.DialTLS(p.mb.Addr, opt)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: connect: %w", p.mb.Name(), err)
	}
	return c, nil
}

// take fetches, parses and receives one message and records it; it returns
// how many of its files became documents.
func (p *Poller) take(ctx context.Context, c *imapclient.Client, h *imapclient.FetchMessageBuffer, validity uint32) (int, error) {
	if h.RFC822Size > p.opt.MaxMessageBytes {
		return 0, p.refuseWhole(ctx, h, validity)
	}
	section := &imap.FetchItemBodySection{Peek: true}
	bufs, err := c.Fetch(imap.UIDSetNum(h.UID), &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return 0, fmt.Errorf("fetch: %w", err)
	}
	if len(bufs) != 1 {
		return 0, fmt.Errorf("fetch: the server returned %d messages", len(bufs))
	}
	raw := bufs[0].FindBodySection(section)
	msg := Parse(raw)
	return p.Receive(ctx, msg)
}

// Receive hands a parsed message's files to the receiver and records the
// message. It is idempotent: a message received again adds nothing.
func (p *Poller) Receive(ctx context.Context, msg Message) (int, error) {
	d := p.recv.DB()
	o := intake.Origin{Channel: db.SourceEmail, Sender: msg.Sender, MessageKey: msg.Key, GroupID: groupID(msg.Key)}
	if o.Sender == "" {
		o.Sender = "unknown"
	} else if c, err := d.ContractorByEmail(ctx, msg.Sender); err == nil {
		o.ContractorID = c.ID
	} else if !errors.Is(err, db.ErrNotFound) {
		return 0, err
	}
	var stored, refused int
	var notes []string
	for _, part := range msg.Parts {
		if !part.Document {
			// Recorded, so the admin sees what was left out.
			reason := part.Name + ": не PDF и не изображение — пропущено"
			if part.Small {
				reason = part.Name + ": маленькая картинка в тексте письма (логотип, подпись) — пропущена"
			}
			if _, err := p.recv.Refuse(ctx, o, part.Name, part.Body, pervichka.CodeUnsupported, reason); err != nil {
				return 0, err
			}
			notes = append(notes, fmt.Sprintf("%s (%s): не документ", part.Name, part.Where))
			continue
		}
		rec, err := p.recv.Receive(ctx, o, part.Name, part.Body)
		if err != nil {
			return 0, err
		}
		if rec.Refused() {
			refused++
			notes = append(notes, fmt.Sprintf("%s (%s): %s", part.Name, part.Where, rec.RefusalReason))
		} else {
			stored++
		}
	}
	outcome := db.MessageStored
	switch {
	case stored > 0:
	case msg.Malformed:
		outcome = db.MessageMalformed
	case refused > 0:
		outcome = db.MessageRefused
	default:
		outcome = db.MessageNoDocuments
		notes = append(notes, "нет PDF и изображений")
	}
	for _, pr := range msg.Problems {
		notes = append(notes, "MIME: "+pr)
	}
	_, err := d.RecordMessage(ctx, db.IntakeMessage{
		Mailbox: p.mb.Name(), MessageKey: intake.CleanText(msg.Key, 998), Sender: intake.CleanText(o.Sender, 255),
		Subject: intake.CleanText(msg.Subject, 998), ContractorID: o.ContractorID, Outcome: outcome,
		Detail: intake.CleanText(strings.Join(notes, "; "), 8000), Documents: stored,
	})
	if err != nil {
		return 0, err
	}
	p.log.Info("message received", "key", msg.Key, "sender", o.Sender, "outcome", outcome, "documents", stored, "refused", refused)
	return stored, nil
}

// refuseWhole records a message over the size limit without fetching it.
func (p *Poller) refuseWhole(ctx context.Context, h *imapclient.FetchMessageBuffer, validity uint32) error {
	key := fmt.Sprintf("imap:%s:%d:%d", p.mb.Name(), validity, h.UID)
	var sender, subject string
	if e := h.Envelope; e != nil {
		if e.MessageID != "" {
			key = "<" + strings.Trim(e.MessageID, "<>") + ">"
		}
		subject = e.Subject
		if len(e.From) > 0 {
			sender = strings.ToLower(e.From[0].Addr())
		}
	}
	if sender == "" {
		sender = "unknown"
	}
	_, err := p.recv.DB().RecordMessage(ctx, db.IntakeMessage{
		Mailbox: p.mb.Name(), MessageKey: intake.CleanText(key, 998), Sender: intake.CleanText(sender, 255),
		Subject: intake.CleanText(subject, 998), Outcome: db.MessageRefused,
		Detail: fmt.Sprintf("письмо %d байт больше предела %d байт: не загружено", h.RFC822Size, p.opt.MaxMessageBytes),
	})
	return err
}

// markDone flags the message done and, when configured, moves it.
func (p *Poller) markDone(c *imapclient.Client, uid imap.UID, flags []imap.Flag) error {
	set := imap.UIDSetNum(uid)
	if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil).Close(); err != nil {
		return fmt.Errorf("flag done: %w", err)
	}
	if p.mb.MoveTo != "" {
		if _, err := c.Move(set, p.mb.MoveTo).Wait(); err != nil {
			return fmt.Errorf("move to %s: %w", p.mb.MoveTo, err)
		}
	}
	return nil
}

// groupID names the files of one message as one group.
func groupID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "email:" + hex.EncodeToString(sum[:8])
}

package db

import "fmt"

// State is where a document is in the pipeline.
type State string

const (
	StateReceived     State = "received"      // stored, not yet picked up
	StateProcessing   State = "processing"    // a job is enhancing/recognising/extracting it
	StateNeedsReview  State = "needs_review"  // a clerk must look at it
	StateAutoApproved State = "auto_approved" // every check passed; no person needed
	StateApproved     State = "approved"      // a clerk confirmed it
	StatePosted       State = "posted"        // handed to accounting; final
	StateRejected     State = "rejected"      // refused (duplicate, not a document, ...); final
	StateFailed       State = "failed"        // processing failed permanently; FailureCode says why
)

// States lists every state in pipeline order.
var States = []State{StateReceived, StateProcessing, StateNeedsReview, StateAutoApproved,
	StateApproved, StatePosted, StateRejected, StateFailed}

// transitions is the state machine: the states each state may move to.
// Posted and rejected are final. A failed document may be retried (processing)
// or given up on (rejected); a document under review may be sent back for
// another run after a correction. An approved or auto-approved document whose
// posting is refused goes back to review rather than to failed, since a person
// must decide what to do with a valid document that accounting would not take.
var transitions = map[State][]State{
	StateReceived:     {StateProcessing, StateRejected, StateFailed},
	StateProcessing:   {StateNeedsReview, StateAutoApproved, StateFailed},
	StateNeedsReview:  {StateApproved, StateRejected, StateProcessing},
	StateAutoApproved: {StatePosted, StateNeedsReview},
	StateApproved:     {StatePosted, StateNeedsReview},
	StateFailed:       {StateProcessing, StateRejected},
	StatePosted:       nil,
	StateRejected:     nil,
}

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	_, ok := transitions[s]
	return ok
}

// Final reports whether no transition leaves s.
func (s State) Final() bool { return s.Valid() && len(transitions[s]) == 0 }

// CanTransition reports whether the state machine allows from → to.
func CanTransition(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

func checkTransition(from, to State) error {
	if !from.Valid() {
		return fmt.Errorf("%w: unknown state %q", ErrIllegalTransition, from)
	}
	if !to.Valid() {
		return fmt.Errorf("%w: unknown state %q", ErrIllegalTransition, to)
	}
	if !CanTransition(from, to) {
		return fmt.Errorf("%w: %s → %s", ErrIllegalTransition, from, to)
	}
	return nil
}

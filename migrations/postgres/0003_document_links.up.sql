-- Links between documents that the pipeline proposes and people confirm:
-- files of one upload or message that look like one document (same number
-- and supplier), a page that continues another (no number or parties of its
-- own), and possible duplicates (same supplier ИНН, number and date). A
-- link is a proposal with its reason; clerks merge or dismiss it.

CREATE TABLE document_links (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint NOT NULL REFERENCES documents (id),
    linked_id       bigint NOT NULL REFERENCES documents (id),
    kind            text NOT NULL,
    reason          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT document_links_pair_key UNIQUE (document_id, linked_id, kind),
    CONSTRAINT document_links_kind_known CHECK (kind IN ('same_document', 'continuation', 'duplicate')),
    CONSTRAINT document_links_not_self CHECK (document_id <> linked_id)
);

CREATE INDEX document_links_linked_idx ON document_links (linked_id);

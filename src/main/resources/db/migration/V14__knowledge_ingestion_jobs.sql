-- Uploads run as jobs on a bounded ingestion pool, off the request threads (SECURITY.md
-- "Hostile documents"). The row makes a job's state visible to every replica: a client may
-- poll or cancel it through any of them. The file itself stays in the memory of the replica
-- that accepted it; a replica that stops leaves its unfinished jobs to be marked failed.
create table knowledge_ingestion_jobs (
    id               uuid          primary key,
    status           varchar(16)   not null,
    source           varchar(255)  not null,
    size_bytes       bigint        not null,
    -- the document the job made or found (null until it succeeds, or once deleted)
    document_id      bigint        references knowledge_documents (id) on delete set null,
    created_document boolean,
    problem_status   integer,
    problem_detail   varchar(1000),
    -- set by a DELETE on any replica; the replica running the job checks it between steps
    cancel_requested boolean       not null default false,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    -- the last poll of an asynchronous job: one nobody asks about for a while is abandoned
    last_polled_at   timestamptz   not null,
    constraint knowledge_ingestion_jobs_status_ck
        check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled'))
);

create index knowledge_ingestion_jobs_updated_idx on knowledge_ingestion_jobs (updated_at);

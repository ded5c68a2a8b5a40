-- Optional pgvector: where the server offers the extension (and this role may create it),
-- chunks also get their embedding as a pgvector column with an HNSW index, and the local
-- retriever asks PostgreSQL for the nearest chunks instead of scanning its in-memory
-- index. Where pgvector is missing, as in our CI, this migration changes nothing.
do $$
begin
    if not exists (select 1 from pg_available_extensions where name = 'vector') then
        raise notice 'pgvector is not available: the knowledge base searches vectors in memory';
        return;
    end if;
    begin
        create extension if not exists vector;
    exception when others then
        raise notice 'pgvector is available but could not be created (%): vectors are searched in memory', sqlerrm;
        return;
    end;
    -- The mean of a chunk's window vectors, normalised (one window for most chunks).
    alter table knowledge_chunks add column embedding_vector vector(384);
    begin
        create index knowledge_chunks_embedding_vector_idx on knowledge_chunks
            using hnsw (embedding_vector vector_cosine_ops);
    exception when others then
        -- pgvector older than 0.5 has no HNSW: exact search still works, without an index.
        raise notice 'no HNSW index (%): pgvector searches without an index', sqlerrm;
    end;
end
$$;

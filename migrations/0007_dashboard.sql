-- The team lead's dashboard (core/src/dashboard): each measure reads one kind of event in a
-- period, so each gets an index on the day or instant it is counted by. For one worker the
-- measures probe the client-keyed indexes the areas already have.
CREATE INDEX tests_on_arrest_by_time ON tests_on_arrest (tested_at);
CREATE INDEX clients_by_created_at ON clients (created_at);
CREATE INDEX appointments_by_owner_time ON appointments (owner_type, at);
CREATE INDEX conditional_cautions_by_given_on ON conditional_cautions (given_on);
CREATE INDEX bail_decisions_by_decided_on ON bail_decisions (decided_on);
CREATE INDEX drr_orders_by_sentenced_on ON drr_orders (sentenced_on);
CREATE INDEX drr_orders_by_ended_on ON drr_orders (ended_on) WHERE ended_on IS NOT NULL;
CREATE INDEX drr_breaches_by_returned_on ON drr_breaches (returned_on);
CREATE INDEX drr_reviews_by_review_on ON drr_reviews (review_on);
CREATE INDEX prison_spells_by_released_on ON prison_spells (released_on) WHERE released_on IS NOT NULL;
CREATE INDEX treatment_episodes_by_referred_on ON treatment_episodes (referred_on);
CREATE INDEX treatment_episodes_by_started_on ON treatment_episodes (treatment_started_on) WHERE treatment_started_on IS NOT NULL;

-- The Victims' Code reason a crime type carries by itself, giving its
-- victims enhanced rights without anyone ticking it: most serious crime
-- (domestic abuse, hate crime, bereaved families) or intimidated (sexual
-- offences, modern slavery). Referrals already received keep theirs.
ALTER TABLE crime_types ADD COLUMN enhanced_reason TEXT;
UPDATE crime_types SET enhanced_reason = 'most_serious_crime'
    WHERE code IN ('domestic_abuse', 'hate_crime', 'homicide_bereaved');
UPDATE crime_types SET enhanced_reason = 'intimidated'
    WHERE code IN ('sexual_offence', 'modern_slavery');

"""Items: explicit fields for what we use, `extras` for everything else the page had.

Field names follow matcher.records (the import schema), so the store pipeline turns an item into a record
with no renaming; what a source has beyond them goes into `extras`.
"""

import scrapy


class SourcedItem(scrapy.Item):
    """Where an item came from: every stored row keeps these."""

    source = scrapy.Field()  # the site or platform, e.g. the host name or "orcid"
    external_id = scrapy.Field()  # the id at the source (else the canonical URL)
    url = scrapy.Field()
    fetched_at = scrapy.Field()  # ISO 8601 UTC
    extras = scrapy.Field()  # dict


class JobPostingItem(SourcedItem):
    """A schema.org JobPosting, as our job record."""

    title = scrapy.Field()
    enterprise = scrapy.Field()  # hiringOrganization name
    enterprise_url = scrapy.Field()  # hiringOrganization sameAs/url (kept in extras when stored)
    enterprise_external_id = scrapy.Field()  # hiringOrganization identifier, else its URL
    organization = scrapy.Field()  # {name, website, description, location}: stored as an enterprise
    industry = scrapy.Field()
    description = scrapy.Field()  # plain text (HTML removed by the normalize pipeline)
    requirements = scrapy.Field()  # educationRequirements + experienceRequirements + qualifications, as text
    majors = scrapy.Field()  # list[str]
    min_degree = scrapy.Field()  # as written; normalized to a level name
    location = scrapy.Field()
    salary_min = scrapy.Field()
    salary_max = scrapy.Field()
    currency = scrapy.Field()
    salary_period = scrapy.Field()  # year | month | day | hour
    posted_at = scrapy.Field()  # ISO date
    valid_through = scrapy.Field()  # ISO date (kept in extras when stored)
    occupational_category = scrapy.Field()  # kept in extras when stored


class ProfileItem(SourcedItem):
    """A person's public profile (ORCID record, schema.org Person/ProfilePage), as our candidate record."""

    name = scrapy.Field()
    headline = scrapy.Field()
    summary = scrapy.Field()
    skills = scrapy.Field()  # list[str] (ORCID keywords, schema.org knowsAbout)
    education = scrapy.Field()  # list[{school, degree, major, country, end_year}]
    experience = scrapy.Field()  # list[{title, organization, description, start, end}]
    location = scrapy.Field()
    preferred_locations = scrapy.Field()  # list[str] (schema.org Person seeks Demand areaServed)
    industries = scrapy.Field()  # list[str] (schema.org Person seeks Demand category)
    languages = scrapy.Field()  # list[str]


class MajorListingItem(SourcedItem):
    """One row of a major list: a catalogue table (code, class, category) or a university's list of majors."""

    code = scrapy.Field()
    name = scrapy.Field()
    class_name = scrapy.Field()
    category_name = scrapy.Field()
    university = scrapy.Field()

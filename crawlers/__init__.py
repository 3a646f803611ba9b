"""Scrapy crawlers: job postings, overseas profiles and major lists, stored through matcher's services."""

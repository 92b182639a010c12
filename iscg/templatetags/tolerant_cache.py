"""``{% cache %}`` that renders its fragment when the cache fails.

Django's tag raises when its cache does: a page must not fail because the cache is
unreachable or misconfigured (iscg.cache answers misses, but any backend may be configured,
Django's own Redis cache included, which raises). The fragment is read from and kept in the
default cache, as Django's tag does without a ``template_fragments`` cache.
"""

import logging

from django import template
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.templatetags.cache import CacheNode, do_cache

logger = logging.getLogger(__name__)
register = template.Library()


class TolerantCacheNode(CacheNode):
    def render(self, context):
        seconds = int(self.expire_time_var.resolve(context))
        vary_on = [var.resolve(context) for var in self.vary_on]
        key = make_template_fragment_key(self.fragment_name, vary_on)
        try:
            value = cache.get(key)
        except Exception as error:  # any backend's own errors
            logger.warning(
                "Cache unreachable (%s): fragment %s rendered", error, self.fragment_name
            )
            return self.nodelist.render(context)
        if value is None:
            value = self.nodelist.render(context)
            try:
                cache.set(key, value, seconds)
            except Exception as error:  # any backend's own errors
                logger.warning("Cache unreachable (%s): fragment %s not kept", error, key)
        return value


@register.tag("cache")
def tolerant_cache(parser, token):
    node = do_cache(parser, token)
    return TolerantCacheNode(
        node.nodelist, node.expire_time_var, node.fragment_name, node.vary_on, node.cache_name
    )

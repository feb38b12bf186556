from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Italian unless the user chose otherwise with the language switch.

    Pages ignore the browser's Accept-Language: the network works in Italian and a page must not
    change language because a borrowed laptop is set to English. The API honours Accept-Language,
    since integrations ask for the language of their error messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen not in self.available:
            chosen = settings.LANGUAGE_CODE
            if request.path.startswith("/api/"):
                chosen = translation.get_language_from_request(request)
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", chosen)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

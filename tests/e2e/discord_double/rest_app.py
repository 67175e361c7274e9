"""Login, application, gateway discovery, users and application command routes."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from . import limits
from . import state as st
from .errors import UNKNOWN_APPLICATION_COMMAND, UNKNOWN_USER, DiscordError, not_found
from .http_util import Routes, json_response, no_content, read_body, read_json, route


class AppRoutes(Routes):
    # login -------------------------------------------------------------------------------

    @route("GET", "/users/@me")
    async def get_me(self, request: web.Request) -> web.Response:
        return json_response(self.payloads.client_user(self.double.bot_user))

    @route("GET", "/oauth2/applications/@me")
    async def get_application(self, request: web.Request) -> web.Response:
        return json_response(self.payloads.application())

    @route("GET", "/applications/@me")
    async def get_application_v2(self, request: web.Request) -> web.Response:
        return json_response(self.payloads.application())

    @route("POST", "/auth/logout")
    async def logout(self, request: web.Request) -> web.Response:
        return no_content()

    @route("GET", "/gateway")
    async def get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.double.gateway_url})

    @route("GET", "/gateway/bot")
    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "url": self.double.gateway_url,
                "shards": self.double.gateway.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    @route("GET", "/users/{user_id}")
    async def get_user(self, request: web.Request) -> web.Response:
        user = self.state.users.get(int(request.match_info["user_id"]))
        if user is None:
            raise not_found(UNKNOWN_USER, "User")
        return json_response(self.payloads.user(user))

    # application commands ----------------------------------------------------------------

    def _check_app(self, request: web.Request) -> None:
        if int(request.match_info["application_id"]) != self.double.application_id:
            raise DiscordError(403, 50001, "Missing Access")

    def _guild_key(self, request: web.Request) -> int | None:
        guild_id = request.match_info.get("guild_id")
        if guild_id is None:
            return None
        if int(guild_id) not in self.state.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(guild_id)

    def _list(self, key: int | None) -> list[dict[str, Any]]:
        return [self.payloads.command(c) for c in self.state.commands.get(key, [])]

    def _overwrite(self, key: int | None, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        limits.check_commands(payloads)
        old = {(c.name, c.type): c for c in self.state.commands.get(key, [])}
        new: list[st.Command] = []
        for payload in payloads:
            payload = {k: v for k, v in payload.items() if k not in ("id", "application_id")}
            previous = old.get((payload["name"], payload.get("type", 1)))
            # Discord keeps a command's id when a bulk overwrite re-sends it by name.
            if previous is not None:
                version = previous.version + (previous.payload != payload)
                cmd = st.Command(previous.id, previous.application_id, key, payload, version)
            else:
                ident = self.double.snowflakes.next()
                cmd = st.Command(ident, self.double.application_id, key, payload, ident)
            new.append(cmd)
        self.state.commands[key] = new
        return self._list(key)

    def _find(self, key: int | None, command_id: int) -> st.Command:
        for cmd in self.state.commands.get(key, []):
            if cmd.id == command_id:
                return cmd
        raise not_found(UNKNOWN_APPLICATION_COMMAND, "application command")

    @route("GET", "/applications/{application_id}/commands")
    async def list_global(self, request: web.Request) -> web.Response:
        self._check_app(request)
        return json_response(self._list(None))

    @route("PUT", "/applications/{application_id}/commands")
    async def overwrite_global(self, request: web.Request) -> web.Response:
        self._check_app(request)
        payload, _ = await read_body(request)
        return json_response(self._overwrite(None, payload.get("_list", [])))

    @route("GET", "/applications/{application_id}/guilds/{guild_id}/commands")
    async def list_guild(self, request: web.Request) -> web.Response:
        self._check_app(request)
        return json_response(self._list(self._guild_key(request)))

    @route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
    async def overwrite_guild(self, request: web.Request) -> web.Response:
        self._check_app(request)
        key = self._guild_key(request)
        payload, _ = await read_body(request)
        return json_response(self._overwrite(key, payload.get("_list", [])))

    @route("POST", "/applications/{application_id}/commands")
    async def upsert_global(self, request: web.Request) -> web.Response:
        return await self._upsert(request, None)

    @route("POST", "/applications/{application_id}/guilds/{guild_id}/commands")
    async def upsert_guild(self, request: web.Request) -> web.Response:
        return await self._upsert(request, self._guild_key(request))

    async def _upsert(self, request: web.Request, key: int | None) -> web.Response:
        self._check_app(request)
        body = await read_json(request)
        others = [
            c.payload
            for c in self.state.commands.get(key, [])
            if (c.name, c.type) != (body["name"], body.get("type", 1))
        ]
        self._overwrite(key, [*others, body])
        cmd = next(c for c in self.state.commands[key] if c.name == body["name"])
        return json_response(self.payloads.command(cmd), status=201)

    @route("GET", "/applications/{application_id}/commands/{command_id}")
    async def get_global(self, request: web.Request) -> web.Response:
        self._check_app(request)
        cmd = self._find(None, int(request.match_info["command_id"]))
        return json_response(self.payloads.command(cmd))

    @route("GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
    async def get_guild_command(self, request: web.Request) -> web.Response:
        self._check_app(request)
        cmd = self._find(self._guild_key(request), int(request.match_info["command_id"]))
        return json_response(self.payloads.command(cmd))

    @route("DELETE", "/applications/{application_id}/commands/{command_id}")
    async def delete_global(self, request: web.Request) -> web.Response:
        return self._delete(request, None)

    @route("DELETE", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}")
    async def delete_guild_command(self, request: web.Request) -> web.Response:
        return self._delete(request, self._guild_key(request))

    def _delete(self, request: web.Request, key: int | None) -> web.Response:
        self._check_app(request)
        cmd = self._find(key, int(request.match_info["command_id"]))
        self.state.commands[key].remove(cmd)
        return no_content()

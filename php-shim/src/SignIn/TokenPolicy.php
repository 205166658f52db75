<?php
/**
 * What a WorkOS access token must be for this site to believe it — one
 * policy for the tokens of a sign-in and the Bearer tokens of the REST API.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn;

use WorkOS_WP\Api;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Verifies access tokens under this site's expectations.
 */
final class TokenPolicy {

	/**
	 * The verified claims of an access token.
	 *
	 * @param string $token The access token.
	 * @return array Its claims.
	 * @throws \WorkOS\Native\Exception When it does not verify (TokenException) or cannot be checked.
	 */
	public static function verify( string $token ): array {
		return Api::client()->verifyAccessToken( $token, self::expectations() );
	}

	/**
	 * What a token must satisfy besides its signature, for Bearer requests
	 * and sign-ins alike: issued for this site's client ID (audience) by its
	 * WorkOS issuer — `<API base URL>/user_management/<client ID>` — unless
	 * WORKOS_TOKEN_AUDIENCE / WORKOS_TOKEN_ISSUER say otherwise (e.g.
	 * `https://api.workos.com` for environments created before mid-2025, or
	 * a custom authentication domain). Filter: `workos_token_expectations`.
	 */
	public static function expectations(): array {
		$client_id = Settings::get( 'client_id' );
		$audience  = Settings::get( 'token_audience' );
		$issuer    = Settings::get( 'token_issuer' );
		$expect    = array(
			'audience'          => '' !== $audience ? $audience : $client_id,
			// WorkOS's User Management access tokens carry no `aud`: the issuer
			// below names the client, and only the client's own JWKS verifies
			// them. A token that does carry an `aud` must name this client; an
			// audience set by constant is always required.
			'audience_optional' => '' === $audience,
			'issuer'            => '' !== $issuer ? $issuer : self::default_issuers(),
		);
		/**
		 * What an access token must carry (`audience`, `issuer`; `leeway` in
		 * seconds). Removing a key turns that check off: do so only knowingly.
		 *
		 * @param array $expect Expectations.
		 */
		$filtered = apply_filters( 'workos_token_expectations', $expect );
		return is_array( $filtered ) ? $filtered : $expect;
	}

	/**
	 * The issuer WorkOS names in this client's access tokens.
	 */
	public static function default_issuer(): string {
		return untrailingslashit( Settings::get( 'api_base_url' ) ) . '/user_management/' . Settings::get( 'client_id' );
	}

	/**
	 * The issuers accepted by default: the client's own (environments since
	 * mid-2025) and the API's (older environments), so that upgrading never
	 * locks a site out. Both are tied to this client by its JWKS.
	 *
	 * @return string[]
	 */
	public static function default_issuers(): array {
		return array( self::default_issuer(), untrailingslashit( Settings::get( 'api_base_url' ) ) );
	}
}

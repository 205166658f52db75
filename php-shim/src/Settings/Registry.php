<?php
/**
 * Every setting of the plugin, defined once.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * The one list of settings. Settings reads and stores by it, the settings
 * screen renders and validates by it, `workos status` and the README's
 * configuration table (checked by tests/e2e/test_settings_registry.py)
 * follow it. Adding a setting is one entry in SETTINGS and its words in
 * texts().
 *
 * The facts a read needs (SETTINGS) are a constant array, so Settings::get()
 * costs an array lookup. The words (labels, help) are translated, which may
 * only happen once WordPress has loaded translations and costs a filter call
 * each, so they live in texts(), which only screens call.
 */
final class Registry {

	/** WorkOS environments; one is active. */
	public const ENVIRONMENTS = array( 'production', 'staging' );

	/** Where WorkOS's API is, unless a setting says otherwise. */
	public const DEFAULT_BASE_URL = 'https://api.workos.com';

	/** Sign-in modes: AuthKit redirect, WordPress's own form checked by WorkOS, or the hosted login of Login Profiles (custom). */
	public const LOGIN_MODES = array( 'redirect', 'headless', 'custom' );

	/** AuthKit providers WorkOS accepts for the authorize URL. */
	public const PROVIDERS = array( 'authkit', 'GoogleOAuth', 'MicrosoftOAuth', 'GitHubOAuth', 'AppleOAuth' );

	/**
	 * Every setting, in the order the screen shows them. Each entry:
	 *
	 * - `type`: how it is stored and read — `string` (Settings::get()),
	 *   `choice` (one of `choices`), `url`, `bool` (Settings::flag()),
	 *   `map` ("from = to" lines, Settings::map()), `list` (Settings::items()).
	 * - `default`: the value when nothing is set (else '' / false / empty).
	 * - `secret`: never shown (only Settings::mask()), never copied from a
	 *   constant into the database.
	 * - `per_environment`: each WorkOS environment has its own value, read
	 *   from WORKOS_<ENV>_<KEY>, then WORKOS_<KEY>, then that environment's
	 *   stored value (see Settings::raw()).
	 * - `network`: in a multisite network, a setting of the network (Network
	 *   Admin → Settings → WorkOS, the network option), never read from a
	 *   site's own option. Users and usermeta are shared by every site, so
	 *   whatever can change them — the credentials and where they are sent,
	 *   the webhook secret (whoever knows it can sign events that change any
	 *   user), deprovisioning, pushing roles to WorkOS (they come back as
	 *   role claims on every site), the client-IP rule and the retention of
	 *   the shared activity log — is the network admin's.
	 * - `section`: where the screen shows it (see SECTIONS); none: it is
	 *   set by its constant only.
	 * - `stored`: false for a setting only a constant sets (never read from
	 *   the database).
	 * - `rule`: how a submitted value is validated (see Validator), when it
	 *   is more than its type says.
	 * - `example`: a well-formed value, for settings whose format is not
	 *   obvious (maps, lists, URLs, ids); the screen shows it under the help.
	 * - `aliases`: more constant names (without the WORKOS_ prefix, e.g. the
	 *   reference plugin's) that set it too, after its own.
	 * - `env_constants`: one value for every environment, but its constants
	 *   also come in the active environment's form WORKOS_<ENV>_<NAME>,
	 *   consulted first (the reference plugin's per-environment constants).
	 *
	 * Its constant is WORKOS_<KEY> (Settings::constant_names()); map and list
	 * settings take an array constant or a string in the form's line format
	 * (Settings::parse_map(), Settings::items()).
	 */
	public const SETTINGS = array(
		'environment'               => array(
			'type'    => 'choice',
			'choices' => self::ENVIRONMENTS,
			'default' => 'production',
			'network' => true,
			'section' => 'workos_api',
		),
		'api_key'                   => array(
			'type'            => 'string',
			'secret'          => true,
			'per_environment' => true,
			'network'         => true,
			'section'         => 'workos_env',
			'example'         => 'sk_test_…',
		),
		'client_id'                 => array(
			'type'            => 'string',
			'per_environment' => true,
			'network'         => true,
			'section'         => 'workos_env',
			'example'         => 'client_…',
		),
		'environment_id'            => array(
			'type'            => 'string',
			'per_environment' => true,
			'network'         => true,
			'section'         => 'workos_env',
			'example'         => 'environment_…',
		),
		'webhook_secret'            => array(
			'type'            => 'string',
			'secret'          => true,
			'per_environment' => true,
			'network'         => true,
			'section'         => 'workos_env',
		),
		'api_base_url'              => array(
			'type'            => 'url',
			'default'         => self::DEFAULT_BASE_URL,
			'per_environment' => true,
			'network'         => true,
			'section'         => 'workos_env',
			'example'         => self::DEFAULT_BASE_URL,
		),
		'login_mode'                => array(
			'type'    => 'choice',
			'choices' => self::LOGIN_MODES,
			'default' => 'redirect',
			'section' => 'workos_sign_in',
		),
		'provider'                  => array(
			'type'    => 'choice',
			'choices' => self::PROVIDERS,
			'default' => 'authkit',
			'section' => 'workos_sign_in',
		),
		'connection_id'             => array(
			'type'    => 'string',
			'section' => 'workos_sign_in',
			'example' => 'conn_…',
		),
		// On by default so a new install never locks its admins out; sites
		// that want WorkOS only turn it off.
		'allow_password_fallback'   => array(
			'type'          => 'bool',
			'default'       => true,
			'section'       => 'workos_sign_in',
			'env_constants' => true,
		),
		'fallback_confirmation'     => array(
			'type'          => 'bool',
			'default'       => true,
			'section'       => 'workos_sign_in',
			'env_constants' => true,
			'aliases'       => array( 'WP_PASSWORD_FALLBACK_EMAIL_CONFIRMATION' ),
		),
		// Off here (the reference's default is on): whether an address WorkOS
		// does not know gets a magic code, and so an account, on a Login
		// Profile that does not offer sign-up is the site owner's choice. The
		// `legacy` profile (filter workos_legacy_profile_slug) reads the second.
		'allow_magic_code_registration' => array(
			'type'          => 'bool',
			'default'       => false,
			'section'       => 'workos_sign_in',
			'env_constants' => true,
		),
		'allow_legacy_magic_code_registration' => array(
			'type'          => 'bool',
			'default'       => false,
			'section'       => 'workos_sign_in',
			'env_constants' => true,
		),
		// WORKOS_REDIRECT_URLS is the reference's array: role (or `__default__`)
		// => URL, or => {url, first_login_only} (Compat\RoleRedirects reads it).
		'login_redirects'           => array(
			'type'          => 'map',
			'section'       => 'workos_redirects',
			'rule'          => 'role_redirects',
			'example'       => 'editor = /editors/',
			'env_constants' => true,
			'aliases'       => array( 'REDIRECT_URLS' ),
		),
		'login_redirect_default'    => array(
			'type'    => 'string',
			'section' => 'workos_redirects',
			'rule'    => 'redirect',
			'example' => '/welcome/',
		),
		'login_redirect_first_only' => array(
			'type'    => 'bool',
			'section' => 'workos_redirects',
		),
		'logout_redirects'          => array(
			'type'    => 'map',
			'section' => 'workos_redirects',
			'rule'    => 'role_redirects',
			'example' => 'editor = /goodbye/',
		),
		'logout_redirect_default'   => array(
			'type'    => 'string',
			'section' => 'workos_redirects',
			'rule'    => 'redirect',
			'example' => '/goodbye/',
		),
		'audit_logs'                => array(
			'type'    => 'bool',
			'section' => 'workos_logs',
		),
		'log_retention_days'        => array(
			'type'    => 'string',
			'default' => '90',
			'network' => true,
			'section' => 'workos_logs',
			'rule'    => 'days',
		),
		'trusted_proxies'           => array(
			'type'    => 'list',
			'network' => true,
			'section' => 'workos_network',
			'rule'    => 'proxies',
			'example' => "10.0.0.0/8\n192.0.2.7",
		),
		'organization_id'           => array(
			'type'            => 'string',
			'per_environment' => true,
			'section'         => 'workos_organization',
			'example'         => 'org_…',
		),
		// Who may be enrolled into the pinned organization at sign-in: a known
		// local user whose verified email domain is one of the organization's
		// verified domains, or nobody.
		'org_enrolment'             => array(
			'type'    => 'choice',
			'choices' => array( 'verified_domain', 'off' ),
			'default' => 'verified_domain',
			'section' => 'workos_organization',
		),
		'entitlement_gate'          => array(
			'type'    => 'bool',
			'section' => 'workos_organization',
			'aliases' => array( 'ENTITLEMENT_GATE_ENABLED' ),
		),
		'gate_fail_open'            => array(
			'type'    => 'bool',
			'section' => 'workos_organization',
		),
		'role_map'                  => array(
			'type'    => 'map',
			'section' => 'workos_users',
			'rule'    => 'role_map',
			'example' => "admin = administrator\nmember = subscriber",
		),
		'default_role'              => array(
			'type'    => 'string',
			'section' => 'workos_users',
			'rule'    => 'role',
		),
		'push_role_changes'         => array(
			'type'    => 'bool',
			'network' => true,
			'section' => 'workos_users',
		),
		'deprovision_action'        => array(
			'type'    => 'choice',
			'choices' => array( 'deactivate', 'demote', 'delete' ),
			'default' => 'deactivate',
			'network' => true,
			'section' => 'workos_users',
		),
		'deprovision_role'          => array(
			'type'    => 'string',
			'default' => 'subscriber',
			'network' => true,
			'section' => 'workos_users',
			'rule'    => 'role',
		),
		'deprovision_reassign'      => array(
			'type'    => 'string',
			'network' => true,
			'section' => 'workos_users',
			'rule'    => 'user_id',
		),
		'token_issuer'              => array(
			'type'    => 'string',
			'stored'  => false,
			'example' => 'https://api.workos.com',
		),
		'token_audience'            => array(
			'type'    => 'string',
			'stored'  => false,
			'example' => 'client_…',
		),
		'jwks_cache_dir'            => array(
			'type'    => 'string',
			'stored'  => false,
			'example' => '/var/cache/workos-jwks',
		),
		// The reference plugin's switches, kept with their meaning (see Compat\).
		'enable_activity_log'       => array(
			'type'    => 'bool',
			'default' => true,
			'stored'  => false,
		),
		'radar_site_key'            => array(
			'type'    => 'string',
			'stored'  => false,
			'example' => 'radar_…',
		),
		'debug'                     => array(
			'type'   => 'bool',
			'stored' => false,
		),
	);

	/**
	 * The screen's sections, in order: id => [tab, environment]. The
	 * environment a section's per-environment settings are shown for:
	 * `each` repeats the section once per environment (id `<id>_<env>`),
	 * `active` shows the active one's, null: the section has none.
	 */
	public const SECTIONS = array(
		'workos_api'          => array( 'settings', null ),
		'workos_env'          => array( 'settings', 'each' ),
		'workos_sign_in'      => array( 'settings', null ),
		'workos_redirects'    => array( 'settings', null ),
		'workos_logs'         => array( 'settings', null ),
		'workos_network'      => array( 'settings', null ),
		'workos_organization' => array( 'organization', 'active' ),
		'workos_users'        => array( 'users', null ),
	);

	/**
	 * The keys of the settings whose definition has `$flag` set.
	 *
	 * @param string $flag A boolean field of SETTINGS (`network`, `per_environment`, `secret`).
	 * @return string[]
	 */
	public static function keys_with( string $flag ): array {
		return array_keys( array_filter( self::SETTINGS, static fn( array $def ): bool => ! empty( $def[ $flag ] ) ) );
	}

	/**
	 * The settings stored in the option (every one but the constant-only ones).
	 *
	 * @return string[]
	 */
	public static function stored_keys(): array {
		return array_keys( array_filter( self::SETTINGS, static fn( array $def ): bool => false !== ( $def['stored'] ?? true ) ) );
	}

	/**
	 * One setting with its words.
	 *
	 * @param string $key One of the SETTINGS keys.
	 */
	public static function setting( string $key ): Setting {
		$texts = self::texts();
		return new Setting( $key, self::SETTINGS[ $key ], $texts[ $key ][0], $texts[ $key ][1], self::choice_names()[ $key ] ?? array() );
	}

	/**
	 * Every setting with its words, in order.
	 *
	 * @return array<string, Setting>
	 */
	public static function all(): array {
		$out = array();
		foreach ( array_keys( self::SETTINGS ) as $key ) {
			$out[ $key ] = self::setting( $key );
		}
		return $out;
	}

	/**
	 * Label and help of each setting (translated: call it from screens only).
	 *
	 * @return array<string, array{0: string, 1: string}>
	 */
	public static function texts(): array {
		static $texts = null;
		if ( null !== $texts ) {
			return $texts;
		}
		$texts = array(
			'environment'               => array( __( 'Active environment', 'workos' ), __( 'Whose credentials sign people in: Production\'s or Staging\'s, below.', 'workos' ) ),
			'api_key'                   => array( __( 'API key', 'workos' ), __( 'The secret key of this WorkOS environment (WorkOS dashboard → API Keys).', 'workos' ) ),
			'client_id'                 => array( __( 'Client ID', 'workos' ), __( 'Shown next to the API key in the WorkOS dashboard.', 'workos' ) ),
			'environment_id'            => array( __( 'Environment ID', 'workos' ), __( 'Optional: names this WorkOS environment in the workos status command and Site Health.', 'workos' ) ),
			'webhook_secret'            => array( __( 'Webhook secret', 'workos' ), __( 'Signs the events WorkOS sends to the webhook endpoint shown at the top of this page (WorkOS dashboard → Webhooks).', 'workos' ) ),
			'api_base_url'              => array( __( 'API base URL', 'workos' ), __( 'Where WorkOS\'s API is. Leave the default unless WorkOS gave you another address.', 'workos' ) ),
			'login_mode'                => array( __( 'Login mode', 'workos' ), __( 'How wp-login.php signs people in: on WorkOS\'s hosted AuthKit page, on WordPress\'s own form with the email and password checked by WorkOS, or on this site\'s own sign-in page, shaped by its Login Profiles.', 'workos' ) ),
			'provider'                  => array( __( 'Provider', 'workos' ), __( 'AuthKit offers every sign-in method enabled in WorkOS; the others go straight to that identity provider.', 'workos' ) ),
			'connection_id'             => array( __( 'Connection ID', 'workos' ), __( 'Optional: sends every sign-in to this SSO connection (WorkOS dashboard → SSO).', 'workos' ) ),
			'allow_password_fallback'   => array( __( 'Allow WordPress passwords', 'workos' ), __( 'WordPress\'s own password check stays available (wp-login.php?fallback=1), and lost-password and registration stay in WordPress.', 'workos' ) ),
			'fallback_confirmation'     => array( __( 'Confirm fallback by email code', 'workos' ), __( 'In headless mode, a WordPress password that WorkOS does not know links the account only after a code sent by WorkOS to its email is entered; the password is never sent to WorkOS.', 'workos' ) ),
			'allow_magic_code_registration' => array( __( 'Magic codes for new addresses', 'workos' ), __( 'An email address WorkOS does not know yet gets a magic code, and an account with it, on every Login Profile — also those that do not offer sign-up. Off: only addresses that have an account get a code, unless the profile offers sign-up.', 'workos' ) ),
			'allow_legacy_magic_code_registration' => array( __( 'Magic codes for new addresses (legacy profile)', 'workos' ), __( 'The same for the Login Profile named legacy (the reference plugin\'s; another with the workos_legacy_profile_slug filter), which reads this setting instead of the one above.', 'workos' ) ),
			'login_redirects'           => array( __( 'After sign-in, by role', 'workos' ), __( 'One per line: WordPress role = URL on this site or /path. The first of the user\'s roles listed wins; a redirect_to the visitor asked for wins over all.', 'workos' ) ),
			'login_redirect_default'    => array( __( 'After sign-in, otherwise', 'workos' ), __( 'Where everyone else lands after signing in: a URL on this site or a /path. Empty: where they were going.', 'workos' ) ),
			'login_redirect_first_only' => array( __( 'Only on first sign-in', 'workos' ), __( 'Use the sign-in redirects above only the first time someone signs in.', 'workos' ) ),
			'logout_redirects'          => array( __( 'After sign-out, by role', 'workos' ), __( 'One per line: WordPress role = URL on this site or /path.', 'workos' ) ),
			'logout_redirect_default'   => array( __( 'After sign-out, otherwise', 'workos' ), __( 'Where everyone else lands after signing out: a URL on this site or a /path. Empty: the sign-in page.', 'workos' ) ),
			'audit_logs'                => array( __( 'Forward to WorkOS Audit Logs', 'workos' ), __( 'Sign-ins, sign-outs, failed sign-ins, user and role changes, and post publish/update/delete are sent to WorkOS Audit Logs for the organization chosen on the Organization tab.', 'workos' ) ),
			'log_retention_days'        => array( __( 'Keep activity for (days)', 'workos' ), __( 'How long Tools → WorkOS activity keeps its entries. 0 keeps everything.', 'workos' ) ),
			'trusted_proxies'           => array( __( 'Trusted proxies', 'workos' ), __( 'IPs or CIDR ranges of your load balancers, one per line. Only their X-Forwarded-For is believed.', 'workos' ) ),
			'organization_id'           => array( __( 'Organization', 'workos' ), __( 'Pins sign-in to this organization; also the organization whose roles, members and directories apply here.', 'workos' ) ),
			'org_enrolment'             => array( __( 'Enrol into the organization', 'workos' ), __( 'Whether someone who already has an account here but is not a member of the organization is added to it when they sign in. By verified email domain: only when their verified email\'s domain is one of the organization\'s verified domains. Never: nobody is added.', 'workos' ) ),
			'entitlement_gate'          => array( __( 'Members only', 'workos' ), __( 'Only active members of this organization may sign in through WorkOS.', 'workos' ) ),
			'gate_fail_open'            => array( __( 'Let people in when WorkOS is unreachable', 'workos' ), __( 'Off (recommended): when membership cannot be checked, sign-in is refused.', 'workos' ) ),
			'role_map'                  => array( __( 'Role map', 'workos' ), __( 'One per line: WorkOS role slug (or directory group) = WordPress role. The first line the user holds wins.', 'workos' ) ),
			'default_role'              => array( __( 'Default role', 'workos' ), __( 'Role of new users whose WorkOS roles are not mapped. Existing users keep their role unless a mapped role applies.', 'workos' ) ),
			'push_role_changes'         => array( __( 'Push role changes to WorkOS', 'workos' ), sprintf( /* translators: %s: the plugin's name. */ __( 'When an admin changes a linked user\'s role, set the mapped WorkOS role on their membership of the site\'s organization (chosen on the Organization tab of Settings → %s).', 'workos' ), \WorkOS_WP\PRODUCT_NAME ) ),
			'deprovision_action'        => array( __( 'When the directory removes someone', 'workos' ), __( 'What happens to an account when WorkOS or the directory removes its person. Deactivated accounts keep their content and cannot sign in by any path.', 'workos' ) ),
			'deprovision_role'          => array( __( 'Demote to role', 'workos' ), __( 'The role a removed person is given when the action is "Demote".', 'workos' ) ),
			'deprovision_reassign'      => array( __( 'Give deleted users\' content to', 'workos' ), __( 'When the action is "Delete": who receives the deleted account\'s posts and pages. Nobody: they are deleted with it.', 'workos' ) ),
			'token_issuer'              => array( __( 'Access-token issuer', 'workos' ), __( 'The iss access tokens must carry (default: <API base URL>/user_management/<client ID>, or <API base URL>).', 'workos' ) ),
			'token_audience'            => array( __( 'Access-token audience', 'workos' ), __( 'The aud access tokens must carry (default: none required; one that is present must be the client ID).', 'workos' ) ),
			'jwks_cache_dir'            => array( __( 'JWKS cache directory', 'workos' ), __( 'The per-host cache of WorkOS signing keys: a 0700 directory owned by PHP\'s user (default: a directory of the system temp dir named after this site).', 'workos' ) ),
			'enable_activity_log'       => array( __( 'Activity log', 'workos' ), __( 'On by default: sign-in and sync events are kept in Tools → WorkOS activity (and the workos_activity_logged action fires). Off: nothing is written there; the workos_activity action still fires.', 'workos' ) ),
			'radar_site_key'            => array( __( 'Radar site key', 'workos' ), __( 'The WorkOS Radar site key handed to the hosted login (its nonce endpoint), for WorkOS\'s anti-fraud checks.', 'workos' ) ),
			'debug'                     => array( __( 'Debug log', 'workos' ), __( 'workos_log() writes to PHP\'s error log (default: when WP_DEBUG is on).', 'workos' ) ),
		);
		return $texts;
	}

	/**
	 * What screens call each value of a choice setting (translated: screens
	 * only): setting key => [value => name]. The stored values stay as they
	 * are (constants, `workos status` and the README use them).
	 *
	 * @return array<string, array<string, string>>
	 */
	public static function choice_names(): array {
		static $names = null;
		if ( null !== $names ) {
			return $names;
		}
		$names = array(
			'environment'        => array(
				'production' => __( 'Production', 'workos' ),
				'staging'    => __( 'Staging', 'workos' ),
			),
			'login_mode'         => array(
				'redirect' => __( 'AuthKit: WorkOS\'s hosted sign-in page', 'workos' ),
				'headless' => __( 'WordPress\'s sign-in form, checked by WorkOS', 'workos' ),
				'custom'   => __( 'Hosted login on this site (Login Profiles)', 'workos' ),
			),
			'provider'           => array(
				'authkit'        => __( 'AuthKit (every method enabled in WorkOS)', 'workos' ),
				'GoogleOAuth'    => __( 'Google', 'workos' ),
				'MicrosoftOAuth' => __( 'Microsoft', 'workos' ),
				'GitHubOAuth'    => __( 'GitHub', 'workos' ),
				'AppleOAuth'     => __( 'Apple', 'workos' ),
			),
			'org_enrolment'      => array(
				'verified_domain' => __( 'By verified email domain', 'workos' ),
				'off'             => __( 'Never', 'workos' ),
			),
			'deprovision_action' => array(
				'deactivate' => __( 'Deactivate: block sign-in, end sessions', 'workos' ),
				'demote'     => __( 'Demote to the role below', 'workos' ),
				'delete'     => __( 'Delete the account', 'workos' ),
			),
		);
		return $names;
	}

	/**
	 * Title of each section of the screen (translated: screens only).
	 *
	 * @param string      $section A SECTIONS id.
	 * @param string|null $env     The environment of an `each` section.
	 */
	public static function section_title( string $section, ?string $env = null ): string {
		switch ( $section ) {
			case 'workos_api':
				return __( 'WorkOS environment', 'workos' );
			case 'workos_env':
				return 'production' === $env ? __( 'Production', 'workos' ) : __( 'Staging', 'workos' );
			case 'workos_sign_in':
				return __( 'Sign-in', 'workos' );
			case 'workos_redirects':
				return __( 'Redirects', 'workos' );
			case 'workos_logs':
				return __( 'Logs', 'workos' );
			case 'workos_network':
				return __( 'Network', 'workos' );
			case 'workos_organization':
				return __( 'Organization', 'workos' );
			default:
				return __( 'Users', 'workos' );
		}
	}
}

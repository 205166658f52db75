<?php
/**
 * Live checks of the settings form before it is saved, and what the owner
 * is told about it.
 *
 * For the fields (engineer B, Admin\Fields / SettingsPage::render_field()):
 * - SettingsPage::rejected( $key, $env ) (which calls self::rejected()) is the
 *   value the last save of this user refused, to show again in the control
 *   (null: none; secrets are never kept);
 * - self::rejection( $key, $env ) is why, to show beside the field as its
 *   `<id>-error` note ('' when nothing was refused). Call it from Fields, not
 *   through SettingsPage: Fields → SettingsPage would be a class cycle.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;

use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * What could lock people out is asked of WorkOS before it is stored: new
 * credentials (ConnectionCheck), an organization or connection ID (it must
 * exist in that environment), a switch to another environment. A value
 * WorkOS definitely refuses (a 4xx) is not saved and the stored one stays;
 * a value WorkOS cannot confirm right now (unreachable, 5xx, rate-limited)
 * is saved with a warning, so an owner is never kept from saving a key
 * during a WorkOS outage. Refused values are kept for the next screen
 * (per user, a minute) so they can be corrected, and the notice says what
 * was and was not saved.
 *
 * The Test connection button runs the same ConnectionCheck on the values
 * typed in the form, through admin-ajax (nonce + the capability that may
 * change the credentials).
 */
final class SettingsCheck {

	/** admin-ajax action and nonce action of the Test connection button. */
	public const AJAX_ACTION = 'workos_test_connection';

	/** The credentials a ConnectionCheck tests. */
	private const CREDENTIALS = array( 'api_key', 'client_id', 'api_base_url' );

	/** WorkOS answers a screen within this (seconds), without retries. */
	private const TIMEOUT = 5;

	/** How long a refused value waits for the next screen (seconds). */
	private const KEEP_REJECTED = 120;

	/**
	 * Values refused by this save: field id => [label, value (null for a secret), message, key].
	 *
	 * @var array<string, array{0: string, 1: mixed, 2: string, 3: string}>
	 */
	private static $refused = array();

	/**
	 * Warnings of this save: code => message.
	 *
	 * @var array<string, string>
	 */
	private static $warnings = array();

	/**
	 * Refused values of the last save, read once for the screen.
	 *
	 * @var array|null
	 */
	private static $last = null;

	/**
	 * Starts a save: nothing refused yet.
	 */
	public static function begin(): void {
		self::$refused  = array();
		self::$warnings = array();
	}

	/**
	 * A submitted value is not saved.
	 *
	 * @param string      $key     Setting key.
	 * @param string|null $env     Environment of a per-environment field (null: top-level).
	 * @param mixed       $value   What was submitted.
	 * @param string      $message Why, naming the setting.
	 */
	public static function refuse( string $key, ?string $env, $value, string $message ): void {
		$setting = Registry::setting( $key );
		// A secret is never kept, not even for one screen, and never printed back.
		self::$refused[ self::field_id( $key, $env ) ] = array( self::label( $key, $env ), $setting->secret ? null : $value, $message, $key );
	}

	/**
	 * Saved, but the owner must know.
	 *
	 * @param string $code    Unique code.
	 * @param string $message What and what to do.
	 */
	public static function warn( string $code, string $message ): void {
		self::$warnings[ $code ] = $message;
	}

	/**
	 * Whether this save refused a field already (then its live check is moot).
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment.
	 */
	private static function is_refused( string $key, ?string $env ): bool {
		return isset( self::$refused[ self::field_id( $key, $env ) ] );
	}

	/**
	 * Asks WorkOS about what this save changes that could lock people out,
	 * and puts back the stored value of whatever WorkOS refuses.
	 *
	 * @param array  $stored The option before the save.
	 * @param array  $clean  The validated option about to be stored.
	 * @param string $scope  `all` (single site), `site` (a site of a network: the credentials are
	 *                       the network's) or `network`.
	 * @return array The option to store.
	 */
	public static function live( array $stored, array $clean, string $scope ): array {
		if ( ! extension_ready() ) {
			return $clean;
		}
		$checked = array();
		if ( 'site' !== $scope ) {
			foreach ( Settings::ENVIRONMENTS as $env ) {
				$clean = self::check_credentials( $stored, $clean, $env, $checked );
			}
			$clean = self::check_environment_switch( $stored, $clean, $checked );
		}
		if ( 'network' !== $scope ) {
			foreach ( Settings::ENVIRONMENTS as $env ) {
				$clean = self::check_organization( $stored, $clean, $env, $scope );
			}
			$clean = self::check_connection( $stored, $clean, $scope );
		}
		return $clean;
	}

	/**
	 * New credentials of an environment: WorkOS must accept them. In the
	 * active environment a definite refusal keeps the stored values (saving
	 * them would end every WorkOS sign-in); in the other one they are saved
	 * with a warning (nobody signs in with them until it is made active,
	 * which checks them again).
	 *
	 * @param array  $stored  The option before the save.
	 * @param array  $clean   The option about to be stored.
	 * @param string $env     Environment.
	 * @param array  $checked Environments checked so far => ConnectionCheck result (filled).
	 */
	private static function check_credentials( array $stored, array $clean, string $env, array &$checked ): array {
		$before  = self::credentials( $stored, $env, 'all' );
		$after   = self::credentials( $clean, $env, 'all' );
		$changed = array_keys( array_diff_assoc( $after, $before ) );
		if ( ! $changed ) {
			return $clean;
		}
		$active = self::active_environment( $clean ) === $env;
		$name   = self::environment_name( $env );
		if ( '' === $after['api_key'] || '' === $after['client_id'] ) {
			if ( $active ) {
				/* translators: %s: environment name. */
				self::warn( 'workos_incomplete_' . $env, sprintf( __( '%s, the active environment, needs both an API key and a client ID: until both are set, WorkOS sign-in is off and WordPress\'s own sign-in form is used.', 'workos' ), $name ) );
			}
			return $clean;
		}
		$result          = ConnectionCheck::run( $after + array( 'environment' => $env ) );
		$checked[ $env ] = $result;
		$put_back        = false;
		foreach ( $result['checks'] as $check ) {
			if ( 'failed' === $check['status'] ) {
				// The changed settings the failed check implicates.
				$implicated = array_values( array_intersect( $changed, 'api_key' === $check['id'] ? array( 'api_key', 'api_base_url' ) : array( 'client_id', 'api_base_url' ) ) );
				if ( $active && $implicated ) {
					foreach ( $implicated as $key ) {
						$clean = self::put_back( $stored, $clean, $key, $env );
						self::refuse( $key, $env, $after[ $key ], self::not_saved( $key, $env, $check['message'] ) );
					}
					$put_back = true;
				} elseif ( $active ) {
					// A setting this save did not change is wrong: said, nothing to put back.
					/* translators: 1: environment name, 2: what was checked, 3: WorkOS's answer. */
					self::warn( 'workos_check_' . $env . '_' . $check['id'], sprintf( __( '%1$s — %2$s: %3$s', 'workos' ), $name, $check['label'], $check['message'] ) );
				} else {
					/* translators: 1: environment name, 2: what was checked, 3: WorkOS's answer. */
					self::warn( 'workos_check_' . $env . '_' . $check['id'], sprintf( __( '%1$s — %2$s: %3$s Saved, because %1$s is not the active environment; making it active checks it again.', 'workos' ), $name, $check['label'], $check['message'] ) );
				}
			} elseif ( 'unreachable' === $check['status'] ) {
				/* translators: 1: environment name, 2: what was checked, 3: why it could not be checked. */
				self::warn( 'workos_unconfirmed_' . $env, sprintf( __( '%1$s — %2$s could not be confirmed by WorkOS, so the new credentials were saved unchecked: %3$s Use Test connection once WorkOS answers.', 'workos' ), $name, $check['label'], $check['message'] ) );
			}
		}
		if ( $put_back ) {
			unset( $checked[ $env ] ); // The result was for values that are not kept.
		}
		return $clean;
	}

	/**
	 * Switching the active environment: to one without credentials is
	 * allowed with a warning (WordPress's own form takes over); to one
	 * whose credentials WorkOS refuses is not (every WorkOS sign-in would
	 * fail).
	 *
	 * @param array $stored  The option before the save.
	 * @param array $clean   The option about to be stored.
	 * @param array $checked Environments already checked by this save.
	 */
	private static function check_environment_switch( array $stored, array $clean, array $checked ): array {
		$from = self::active_environment( $stored );
		$to   = self::active_environment( $clean );
		if ( $from === $to ) {
			return $clean;
		}
		$name        = self::environment_name( $to );
		$credentials = self::credentials( $clean, $to, 'all' );
		if ( '' === $credentials['api_key'] || '' === $credentials['client_id'] ) {
			/* translators: %s: environment name. */
			self::warn( 'workos_environment_empty', sprintf( __( '%s is now the active environment, but it has no API key and client ID yet: WorkOS sign-in is off and WordPress\'s own sign-in form is used until both are set below.', 'workos' ), $name ) );
			return $clean;
		}
		$result = $checked[ $to ] ?? ConnectionCheck::run( $credentials + array( 'environment' => $to ) );
		foreach ( $result['checks'] as $check ) {
			if ( 'failed' === $check['status'] ) {
				$clean = self::put_back( $stored, $clean, 'environment', null );
				/* translators: 1: environment name, 2: what was checked, 3: WorkOS's answer, 4: the environment that stays active. */
				self::refuse( 'environment', null, $to, sprintf( __( 'Active environment: %1$s\'s credentials do not work (%2$s: %3$s) The active environment stays %4$s.', 'workos' ), $name, $check['label'], $check['message'], self::environment_name( $from ) ) );
				return $clean;
			}
			if ( 'unreachable' === $check['status'] ) {
				/* translators: 1: environment name, 2: why. */
				self::warn( 'workos_environment_unconfirmed', sprintf( __( '%1$s is now the active environment; WorkOS could not confirm its credentials right now: %2$s', 'workos' ), $name, $check['message'] ) );
				return $clean;
			}
		}
		return $clean;
	}

	/**
	 * A new organization ID of an environment must name an organization of
	 * that WorkOS environment: sign-in is pinned to it.
	 *
	 * @param array  $stored The option before the save.
	 * @param array  $clean  The option about to be stored.
	 * @param string $env    Environment.
	 * @param string $scope  See live().
	 */
	private static function check_organization( array $stored, array $clean, string $env, string $scope ): array {
		$key = 'organization_id';
		$new = self::value( $clean, $key, $env );
		if ( '' === $new || self::value( $stored, $key, $env ) === $new || Settings::locked( $key, $env ) || self::is_refused( $key, $env ) ) {
			return $clean;
		}
		$found = self::ask( $clean, $env, $scope, static fn( \WorkOS\Native\Client $client ) => $client->getOrganization( $new ) );
		if ( true === $found ) {
			return $clean;
		}
		$label = self::label( $key, $env );
		if ( 'invalid' === $found[0] ) {
			/* translators: 1: setting name, 2: what was entered. */
			$message = sprintf( __( '%1$s: "%2$s" is not a WorkOS organization ID (they look like org_01H…). Pick the organization from the list, or copy its ID from the WorkOS dashboard (Organizations).', 'workos' ), $label, $new );
		} elseif ( 'missing' === $found[0] ) {
			/* translators: 1: setting name, 2: the organization ID, 3: environment name. */
			$message = sprintf( __( '%1$s: WorkOS has no organization %2$s in the %3$s environment, so every sign-in pinned to it would fail. Pick the organization from the list, or copy its ID from the WorkOS dashboard (Organizations).', 'workos' ), $label, $new, self::environment_name( $env ) );
		} else {
			/* translators: 1: setting name, 2: the organization ID, 3: why. */
			self::warn( 'workos_org_unchecked_' . $env, sprintf( __( '%1$s %2$s was saved without being checked: %3$s', 'workos' ), $label, $new, $found[1] ) );
			return $clean;
		}
		$clean = self::put_back( $stored, $clean, $key, $env );
		self::refuse( $key, $env, $new, $message );
		return $clean;
	}

	/**
	 * A new connection ID must name an SSO connection of the active WorkOS
	 * environment: every sign-in is sent to it.
	 *
	 * @param array  $stored The option before the save.
	 * @param array  $clean  The option about to be stored.
	 * @param string $scope  See live().
	 */
	private static function check_connection( array $stored, array $clean, string $scope ): array {
		$key = 'connection_id';
		$new = self::value( $clean, $key, null );
		if ( '' === $new || self::value( $stored, $key, null ) === $new || Settings::locked( $key ) || self::is_refused( $key, null ) ) {
			return $clean;
		}
		$env   = self::active_environment( $clean, $scope );
		$found = self::ask( $clean, $env, $scope, static fn( \WorkOS\Native\Client $client ) => $client->getConnection( $new ) );
		if ( true === $found ) {
			return $clean;
		}
		$label = self::label( $key, null );
		if ( 'invalid' === $found[0] ) {
			/* translators: 1: setting name, 2: what was entered. */
			$message = sprintf( __( '%1$s: "%2$s" is not a WorkOS connection ID (they look like conn_01H…). Copy it from the WorkOS dashboard (SSO), or leave it empty.', 'workos' ), $label, $new );
		} elseif ( 'missing' === $found[0] ) {
			/* translators: 1: setting name, 2: the connection ID, 3: environment name. */
			$message = sprintf( __( '%1$s: WorkOS has no SSO connection %2$s in the %3$s environment, so every sign-in sent to it would fail. Copy it from the WorkOS dashboard (SSO), or leave it empty.', 'workos' ), $label, $new, self::environment_name( $env ) );
		} else {
			/* translators: 1: setting name, 2: the connection ID, 3: why. */
			self::warn( 'workos_connection_unchecked', sprintf( __( '%1$s %2$s was saved without being checked: %3$s', 'workos' ), $label, $new, $found[1] ) );
			return $clean;
		}
		$clean = self::put_back( $stored, $clean, $key, null );
		self::refuse( $key, null, $new, $message );
		return $clean;
	}

	/**
	 * Asks WorkOS for an object with an environment's credentials (as this
	 * save leaves them).
	 *
	 * @param array    $option The option about to be stored.
	 * @param string   $env    Environment.
	 * @param string   $scope  See live().
	 * @param callable $call   Makes the call with a client.
	 * @return true|array{0: string, 1: string} True when it exists; else [`invalid` | `missing`
	 *                                          | `unchecked`, why it was not checked].
	 */
	private static function ask( array $option, string $env, string $scope, callable $call ) {
		$credentials = self::credentials( $option, $env, $scope );
		if ( '' === $credentials['api_key'] || '' === $credentials['client_id'] ) {
			/* translators: %s: environment name. */
			return array( 'unchecked', sprintf( __( '%s has no API key and client ID to ask WorkOS with.', 'workos' ), self::environment_name( $env ) ) );
		}
		try {
			$client = new \WorkOS\Native\Client(
				array(
					'api_key'         => $credentials['api_key'],
					'client_id'       => $credentials['client_id'],
					'base_url'        => '' !== $credentials['api_base_url'] ? $credentials['api_base_url'] : Settings::DEFAULT_BASE_URL,
					'timeout'         => self::TIMEOUT,
					'connect_timeout' => 3,
					'max_retries'     => 0,
				)
			);
			$call( $client );
			return true;
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( in_array( $e->getStatus(), array( 400, 404, 422 ), true ) ) {
				return array( 'missing', '' );
			}
			if ( 401 === $e->getStatus() ) {
				return array( 'unchecked', __( 'WorkOS rejected the API key, so it could not be asked. Fix the API key (Test connection checks it).', 'workos' ) );
			}
			/* translators: %s: WorkOS's answer. */
			return array( 'unchecked', sprintf( __( 'WorkOS could not be asked right now (%s). Save it again once WorkOS answers to have it checked.', 'workos' ), $e->getMessage() ) );
		} catch ( \WorkOS\Native\InvalidArgumentException $e ) {
			return array( 'invalid', $e->getMessage() );
		} catch ( \WorkOS\Native\Exception $e ) {
			return array( 'unchecked', $e->getMessage() );
		}
	}

	/**
	 * After the save: the notices at the top of the screen — how many
	 * settings were saved, each one that was not and why, each warning —
	 * and the refused values for the next screen.
	 *
	 * @param array $stored The option before the save.
	 * @param array $clean  The option stored.
	 */
	public static function report( array $stored, array $clean ): void {
		// settings_errors() prints messages as they are: each is escaped here.
		$saved = self::count_changes( $stored, $clean );
		if ( self::$refused ) {
			// In the order of the screen.
			$order = array_flip( array_keys( Registry::SETTINGS ) );
			uasort( self::$refused, static fn( array $a, array $b ): int => $order[ $a[3] ] <=> $order[ $b[3] ] );
			$lines = array();
			foreach ( self::$refused as $field_id => list( $label, , $message ) ) {
				// "Label: reason" reads "Label — reason" in the list; the label leads to the field.
				$reason  = 0 === strpos( $message, $label . ': ' ) ? substr( $message, strlen( $label ) + 2 ) : $message;
				$lines[] = '<a href="#' . esc_attr( $field_id ) . '">' . esc_html( $label ) . '</a> — ' . esc_html( $reason );
			}
			$message = sprintf(
				/* translators: 1: "3 settings saved" or "Nothing saved", 2: how many were not, 3: each with its reason. */
				esc_html__( '%1$s; %2$d not saved: %3$s', 'workos' ),
				/* translators: %d: number of settings. */
				esc_html( $saved ? sprintf( _n( '%d setting saved', '%d settings saved', $saved, 'workos' ), $saved ) : __( 'Nothing saved', 'workos' ) ),
				count( self::$refused ),
				// One per line when there are several.
				( count( $lines ) > 1 ? '<br />' : '' ) . implode( '<br />', $lines )
			);
			add_settings_error( Settings::OPTION, 'workos_not_saved', $message, 'error' );
		} elseif ( self::$warnings || get_settings_errors( Settings::OPTION ) ) {
			// WordPress says "Settings saved." only when nothing else is said.
			/* translators: %d: number of settings. */
			add_settings_error( Settings::OPTION, 'settings_updated', esc_html( $saved ? sprintf( _n( '%d setting saved.', '%d settings saved.', $saved, 'workos' ), $saved ) : __( 'Settings saved.', 'workos' ) ), 'success' );
		}
		foreach ( self::$warnings as $code => $message ) {
			add_settings_error( Settings::OPTION, $code, esc_html( $message ), 'warning' );
		}
		if ( self::$refused ) {
			set_transient( self::transient(), self::$refused, self::KEEP_REJECTED );
		}
	}

	/**
	 * The value the last save refused for a field (to show it again), or null.
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment of a per-environment field.
	 * @return mixed
	 */
	public static function rejected( string $key, ?string $env = null ) {
		return self::last()[ self::field_id( $key, $env ) ][1] ?? null;
	}

	/**
	 * Why the last save refused a field ('' when it did not).
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment of a per-environment field.
	 */
	public static function rejection( string $key, ?string $env = null ): string {
		return (string) ( self::last()[ self::field_id( $key, $env ) ][2] ?? '' );
	}

	/**
	 * The refused values of this user's last save, read once (a reload shows
	 * the stored values again).
	 */
	private static function last(): array {
		if ( null === self::$last ) {
			$last       = get_transient( self::transient() );
			self::$last = is_array( $last ) ? $last : array();
			if ( self::$last ) {
				delete_transient( self::transient() );
			}
		}
		return self::$last;
	}

	/**
	 * This user's transient of refused values.
	 */
	private static function transient(): string {
		return 'workos_rejected_' . get_current_user_id();
	}

	/**
	 * How many settings a save changes (their value in effect).
	 *
	 * @param array $before The option before.
	 * @param array $after  The option after.
	 */
	private static function count_changes( array $before, array $after ): int {
		$count = 0;
		foreach ( Registry::stored_keys() as $key ) {
			$envs = empty( Registry::SETTINGS[ $key ]['per_environment'] ) ? array( null ) : Settings::ENVIRONMENTS;
			foreach ( $envs as $env ) {
				if ( self::value( $before, $key, $env ) !== self::value( $after, $key, $env ) ) {
					++$count;
				}
			}
		}
		return $count;
	}

	/**
	 * A setting's value in an option array, as Settings reads it (the
	 * environment's own value, then production's top-level one, then the
	 * default); text, or JSON for maps and lists, for comparing.
	 *
	 * @param array       $option The option.
	 * @param string      $key    Setting key.
	 * @param string|null $env    Environment of a per-environment setting.
	 */
	private static function value( array $option, string $key, ?string $env ): string {
		$def   = Registry::SETTINGS[ $key ];
		$value = null;
		if ( null !== $env ) {
			$own   = $option['environments'][ $env ][ $key ] ?? '';
			$value = '' !== $own ? $own : ( 'production' === $env ? ( $option[ $key ] ?? null ) : null );
		} elseif ( array_key_exists( $key, $option ) ) {
			$value = $option[ $key ];
		}
		$value = null === $value || '' === $value ? ( $def['default'] ?? '' ) : $value;
		if ( 'bool' === $def['type'] ) {
			return $value ? '1' : '';
		}
		if ( is_array( $value ) ) {
			return $value ? (string) wp_json_encode( $value ) : ''; // An empty map is no map.
		}
		return trim( (string) $value );
	}

	/**
	 * An environment's credentials as a save leaves them: a constant's
	 * value wins (as Settings reads it); on a site of a network they are the
	 * network's, which the site's form cannot change.
	 *
	 * @param array  $option The option.
	 * @param string $env    Environment.
	 * @param string $scope  See live().
	 * @return array{api_key: string, client_id: string, api_base_url: string}
	 */
	private static function credentials( array $option, string $env, string $scope ): array {
		$out = array();
		foreach ( self::CREDENTIALS as $key ) {
			$out[ $key ] = 'site' === $scope || Settings::locked( $key, $env ) ? Settings::get( $key, $env ) : self::value( $option, $key, $env );
		}
		return $out;
	}

	/**
	 * The active environment an option (with its constant) makes.
	 *
	 * @param array  $option The option.
	 * @param string $scope  See live().
	 */
	private static function active_environment( array $option, string $scope = 'all' ): string {
		if ( 'site' === $scope || Settings::locked( 'environment' ) ) {
			return Settings::environment();
		}
		$env = $option['environment'] ?? '';
		return in_array( $env, Settings::ENVIRONMENTS, true ) ? $env : 'production';
	}

	/**
	 * Puts a setting's stored value back into the option to store.
	 *
	 * @param array       $stored The option before the save.
	 * @param array       $clean  The option about to be stored.
	 * @param string      $key    Setting key.
	 * @param string|null $env    Environment of a per-environment setting.
	 */
	private static function put_back( array $stored, array $clean, string $key, ?string $env ): array {
		if ( null === $env ) {
			if ( array_key_exists( $key, $stored ) ) {
				$clean[ $key ] = $stored[ $key ];
			} else {
				unset( $clean[ $key ] );
			}
			return $clean;
		}
		if ( isset( $stored['environments'][ $env ] ) && array_key_exists( $key, $stored['environments'][ $env ] ) ) {
			$clean['environments'][ $env ][ $key ] = $stored['environments'][ $env ][ $key ];
		} else {
			unset( $clean['environments'][ $env ][ $key ] );
		}
		// A legacy top-level value (production's) is the stored one too.
		if ( 'production' === $env ) {
			if ( array_key_exists( $key, $stored ) ) {
				$clean[ $key ] = $stored[ $key ];
			} else {
				unset( $clean[ $key ] );
			}
		}
		return $clean;
	}

	/**
	 * "Label: WorkOS's answer. It was not saved; the previous value stays."
	 *
	 * @param string      $key     Setting key.
	 * @param string|null $env     Environment.
	 * @param string      $message WorkOS's answer (ConnectionCheck).
	 */
	private static function not_saved( string $key, ?string $env, string $message ): string {
		/* translators: 1: setting name, 2: what WorkOS said and what to do. */
		return sprintf( __( '%1$s: %2$s It was not saved; the previous value is still in use.', 'workos' ), self::label( $key, $env ), $message );
	}

	/**
	 * A field's name as the owner reads it ("API key", "Staging API key").
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment of a per-environment field.
	 */
	private static function label( string $key, ?string $env ): string {
		$label = Registry::setting( $key )->label;
		if ( null === $env || Settings::environment() === $env ) {
			return $label;
		}
		/* translators: 1: environment name, 2: setting name. */
		return sprintf( __( '%1$s %2$s', 'workos' ), self::environment_name( $env ), $label );
	}

	/**
	 * An environment's name on screen.
	 *
	 * @param string $env Environment.
	 */
	private static function environment_name( string $env ): string {
		return 'staging' === $env ? __( 'Staging', 'workos' ) : __( 'Production', 'workos' );
	}

	/**
	 * A field's id (as Fields::id()).
	 *
	 * @param string      $key Setting key.
	 * @param string|null $env Environment.
	 */
	private static function field_id( string $key, ?string $env ): string {
		return 'workos_' . ( $env ? $env . '_' : '' ) . $key;
	}

	// --- Test connection -----------------------------------------------------------------------

	/**
	 * Who may test (and change) the credentials: on a network, they are the network's.
	 */
	private static function capability(): string {
		return is_multisite() ? 'manage_network_options' : 'manage_options';
	}

	/**
	 * load-settings_page_workos: the screen's script and styles (only there).
	 */
	public static function enqueue(): void {
		$url = plugins_url( 'admin/', \WorkOS_WP\PLUGIN_FILE );
		wp_enqueue_style( 'workos-settings', $url . 'settings.css', array(), \WorkOS_WP\VERSION );
		wp_enqueue_script( 'workos-settings', $url . 'settings.js', array( 'wp-i18n' ), \WorkOS_WP\VERSION, true );
		wp_set_script_translations( 'workos-settings', 'workos' );
	}

	/**
	 * The Test connection row of an environment's credentials (a settings field).
	 *
	 * @param array $args `env`.
	 */
	public static function render_test_button( array $args ): void {
		$env = (string) ( $args['env'] ?? 'production' );
		if ( ! current_user_can( self::capability() ) ) {
			return;
		}
		$id = 'workos_' . $env . '_test_connection';
		printf(
			'<button type="button" class="button workos-test-connection" id="%1$s" data-environment="%2$s" data-nonce="%3$s" aria-describedby="%1$s-description" aria-controls="%1$s-result">%4$s</button>',
			esc_attr( $id ),
			esc_attr( $env ),
			esc_attr( wp_create_nonce( self::AJAX_ACTION ) ),
			esc_html__( 'Test connection', 'workos' )
		);
		printf(
			'<p class="description" id="%1$s-description">%2$s</p>',
			esc_attr( $id ),
			esc_html__( 'Asks WorkOS, with the values typed above (saved or not), whether the API key, the client ID and the signing keys work, and how long it takes. A blank API key field tests the stored key.', 'workos' )
		);
		printf( '<div class="workos-test-result" id="%s-result" role="status" aria-live="polite"></div>', esc_attr( $id ) );
	}

	/**
	 * wp_ajax_workos_test_connection: ConnectionCheck on the values typed in
	 * the form. A blank API key means the stored one (the form never shows
	 * it); a key a constant sets is only sent where Settings sends it.
	 */
	public static function test_connection(): void {
		if ( ! check_ajax_referer( self::AJAX_ACTION, false, false ) || ! current_user_can( self::capability() ) ) {
			wp_send_json( array( 'message' => __( 'Sorry, you are not allowed to test the WorkOS connection. Reload the page and try again.', 'workos' ) ), 403 );
		}
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked above by check_ajax_referer().
		$env = isset( $_POST['environment'] ) ? sanitize_key( wp_unslash( $_POST['environment'] ) ) : '';
		$env = in_array( $env, Settings::ENVIRONMENTS, true ) ? $env : Settings::environment();
		$credentials = array( 'environment' => $env );
		foreach ( self::CREDENTIALS as $key ) {
			$typed = isset( $_POST[ $key ] ) && is_string( $_POST[ $key ] ) ? trim( sanitize_text_field( wp_unslash( $_POST[ $key ] ) ) ) : '';
			// Blank or locked: what is configured (ConnectionCheck reads it when the key is absent).
			if ( '' !== $typed && ! Settings::locked( $key, $env ) ) {
				$credentials[ $key ] = $typed;
			}
		}
		// phpcs:enable WordPress.Security.NonceVerification.Missing
		$result = ConnectionCheck::run( $credentials );
		wp_send_json(
			array(
				'ok'          => $result['ok'],
				'ms'          => $result['ms'],
				'environment' => $result['environment'],
				'checks'      => array_values( $result['checks'] ),
			)
		);
	}
}

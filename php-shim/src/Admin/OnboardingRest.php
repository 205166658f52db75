<?php
/**
 * The onboarding wizard's API: /wp-json/workos/v1/admin/onboarding…
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Admin;

use WorkOS_WP\Api;
use WorkOS_WP\Cli\CommandError;
use WorkOS_WP\Cli\Sync;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use WorkOS_WP\Settings\Registry;
use WorkOS_WP\Settings\Validator;
use WorkOS_WP\Users\Users;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * One route per thing a step does. Every route needs `manage_options`
 * (and the REST nonce: cookie authentication); settings are written by
 * save() only, through the Registry's validators, the same rules as the
 * settings screen (constants win, secrets never come back, a network's
 * settings stay the network admin's). The credentials are saved only once
 * WorkOS accepts them (ConnectionCheck), an organization only once WorkOS
 * knows it.
 *
 * The network's wizard (multisite) has the same routes under …/network, on
 * the main site only: they need `manage_network_options`, write the
 * network's settings as network options and the per-site ones for the main
 * site, and keep the network's state. Whether a request is the network's
 * comes from its route alone, and the site routes go on refusing every
 * network setting (save()): a site's administrator cannot reach one.
 */
final class OnboardingRest {

	public const REST_NAMESPACE = 'workos/v1';

	private const BASE = '/admin/onboarding';

	/** The network wizard's routes: BASE . NETWORK . path (Onboarding::NETWORK_REST_PATH). */
	private const NETWORK = '/network';

	/** Users pushed per request: each answers within a few seconds and moves the progress bar. */
	public const SYNC_BATCH = 10;

	/**
	 * rest_api_init (on these routes only): registers them.
	 */
	public static function register_routes(): void {
		$routes = array(
			''               => array(
				'GET'  => 'state',
				'POST' => 'step',
			),
			'/credentials'   => array( 'POST' => 'credentials' ),
			'/organizations' => array( 'GET' => 'organizations' ),
			'/organization'  => array( 'POST' => 'organization' ),
			'/webhook'       => array(
				'GET'  => 'webhook_status',
				'POST' => 'webhook_listen',
			),
			'/roles'         => array(
				'GET'  => 'role_slugs',
				'POST' => 'roles',
			),
			'/sync'          => array(
				'GET'  => 'sync_count',
				'POST' => 'sync_batch',
			),
		);
		// The network's routes only where its screen sends them: the main
		// site, whose per-site settings the network's wizard writes.
		$bases = is_multisite() && is_main_site() ? array( self::BASE, self::BASE . self::NETWORK ) : array( self::BASE );
		foreach ( $bases as $base ) {
			foreach ( $routes as $path => $methods ) {
				$endpoints = array();
				foreach ( $methods as $method => $callback ) {
					$endpoints[] = array(
						'methods'             => $method,
						'callback'            => array( self::class, $callback ),
						'permission_callback' => array( self::class, 'allowed' ),
					);
				}
				register_rest_route( self::REST_NAMESPACE, $base . $path, $endpoints );
			}
		}
	}

	/**
	 * Whether a request is the network's wizard: its route is under
	 * …/onboarding/network (matched as WordPress matches routes, ignoring case).
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	private static function network( \WP_REST_Request $request ): bool {
		$prefix = '/' . self::REST_NAMESPACE . self::BASE . self::NETWORK;
		$route  = (string) $request->get_route();
		return is_multisite() && 0 === stripos( $route . '/', $prefix . '/' );
	}

	/**
	 * Who may run the wizard: whoever may change the settings it writes —
	 * for the network's, a network administrator.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public static function allowed( \WP_REST_Request $request ): bool {
		return current_user_can( self::network( $request ) ? 'manage_network_options' : 'manage_options' );
	}

	/**
	 * GET: where the wizard stands and each step's facts (Onboarding::config()).
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public static function state( \WP_REST_Request $request ): \WP_REST_Response {
		return new \WP_REST_Response( self::config( $request ), 200 );
	}

	/**
	 * POST: moves to a step (`step`), finishes (`finished`) or dismisses (`dismissed`) the wizard.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function step( \WP_REST_Request $request ) {
		$changes = array();
		$step    = $request->get_param( 'step' );
		if ( null !== $step ) {
			if ( ! in_array( $step, Onboarding::STEPS, true ) ) {
				return new \WP_Error( 'workos_unknown_step', __( 'There is no such step.', 'workos' ), array( 'status' => 400 ) );
			}
			$changes['step'] = $step;
		}
		foreach ( array( 'finished', 'dismissed' ) as $flag ) {
			if ( null !== $request->get_param( $flag ) ) {
				$changes[ $flag ] = rest_sanitize_boolean( $request->get_param( $flag ) );
			}
		}
		Onboarding::update( $changes, self::network( $request ) );
		return new \WP_REST_Response( self::config( $request ), 200 );
	}

	/**
	 * POST: tests the credentials with WorkOS (ConnectionCheck) and saves
	 * them only when every check is good. A blank API key means the stored
	 * one (never sent to the browser), which ConnectionCheck only ever sends
	 * to the stored base URL.
	 *
	 * @param \WP_REST_Request $request Request: api_key, client_id, api_base_url.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function credentials( \WP_REST_Request $request ) {
		$env     = Settings::environment();
		$network = self::network( $request );
		$values  = array();
		foreach ( array( 'api_key', 'client_id', 'api_base_url' ) as $key ) {
			$given = $request->get_param( $key );
			if ( is_string( $given ) && ! Settings::locked( $key, $env ) ) {
				$values[ $key ] = $given;
			}
		}
		// The values are validated before WorkOS is asked about them.
		$typed = self::save( $values, true, $network );
		if ( is_wp_error( $typed ) ) {
			return $typed;
		}
		$test = array( 'environment' => $env );
		if ( '' !== trim( (string) ( $values['api_key'] ?? '' ) ) ) {
			$test['api_key'] = (string) $typed['api_key'];
		}
		if ( isset( $values['client_id'] ) ) {
			$test['client_id'] = (string) ( $typed['client_id'] ?? '' );
		}
		if ( isset( $values['api_base_url'] ) ) {
			$url                 = (string) ( $typed['api_base_url'] ?? '' );
			$test['api_base_url'] = '' === $url ? Settings::DEFAULT_BASE_URL : $url;
		}
		$result = ConnectionCheck::run( $test );
		if ( $result['ok'] ) {
			$saved = self::save( $values, false, $network );
			if ( is_wp_error( $saved ) ) {
				return $saved;
			}
			self::advance( 'credentials', $network );
		}
		return new \WP_REST_Response(
			array(
				'saved'  => $result['ok'],
				'check'  => $result,
				'config' => self::config( $request ),
			),
			200
		);
	}

	/**
	 * GET: the organizations of the WorkOS environment, from the per-host
	 * organization list cache (`refresh` forgets it first).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function organizations( \WP_REST_Request $request ) {
		$client = self::client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		try {
			if ( rest_sanitize_boolean( $request->get_param( 'refresh' ) ) ) {
				$client->forgetCachedOrganizations();
			}
			$all = $client->listOrganizationsCached( array( 'order' => 'desc' ), 1000 );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::api_error( $e, __( 'The organizations could not be listed', 'workos' ) );
		}
		$orgs = array();
		foreach ( $all as $org ) {
			if ( ! is_string( $org['id'] ?? null ) ) {
				continue;
			}
			$domains = array();
			foreach ( (array) ( $org['domains'] ?? array() ) as $domain ) {
				if ( is_string( $domain['domain'] ?? null ) ) {
					$domains[] = $domain['domain'];
				}
			}
			$orgs[] = array(
				'id'      => $org['id'],
				'name'    => (string) ( $org['name'] ?? $org['id'] ),
				'domains' => $domains,
			);
		}
		usort( $orgs, static fn( array $a, array $b ): int => strnatcasecmp( $a['name'], $b['name'] ) );
		return new \WP_REST_Response( array( 'organizations' => $orgs ), 200 );
	}

	/**
	 * POST: the organization this site serves — one WorkOS knows
	 * (`organization_id`), or a new one created by name (`create`).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function organization( \WP_REST_Request $request ) {
		$client = self::client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$create = trim( sanitize_text_field( (string) $request->get_param( 'create' ) ) );
		$id     = trim( sanitize_text_field( (string) $request->get_param( 'organization_id' ) ) );
		try {
			if ( '' !== $create ) {
				$org = $client->createOrganization( $create );
				$client->forgetCachedOrganizations(); // Every picker offers it at once.
			} elseif ( '' !== $id ) {
				$org = $client->getOrganization( $id );
			} else {
				return new \WP_Error( 'workos_no_organization', __( 'Pick an organization, or type a name to create one.', 'workos' ), array( 'status' => 400 ) );
			}
		} catch ( \WorkOS\Native\ApiException $e ) {
			if ( ! $e->isTransient() && '' === $create ) {
				/* translators: %s: organization ID. */
				return new \WP_Error( 'workos_unknown_organization', sprintf( __( 'WorkOS has no organization %s in this environment.', 'workos' ), $id ), array( 'status' => 400 ) );
			}
			return self::api_error( $e, __( 'The organization could not be saved', 'workos' ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return self::api_error( $e, __( 'The organization could not be saved', 'workos' ) );
		}
		$saved = self::save( array( 'organization_id' => (string) ( $org['id'] ?? '' ) ), false, self::network( $request ) );
		if ( is_wp_error( $saved ) ) {
			return $saved;
		}
		self::advance( 'organization', self::network( $request ) );
		return new \WP_REST_Response(
			array(
				'organization' => array(
					'id'   => (string) ( $org['id'] ?? '' ),
					'name' => (string) ( $org['name'] ?? '' ),
				),
				'config'       => self::config( $request ),
			),
			200
		);
	}

	/**
	 * POST: saves a pasted webhook secret (`secret`, optional) and starts
	 * listening: the status counts deliveries from now on.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function webhook_listen( \WP_REST_Request $request ) {
		$network = self::network( $request );
		$secret  = $request->get_param( 'secret' );
		if ( is_string( $secret ) && '' !== trim( $secret ) ) {
			$saved = self::save( array( 'webhook_secret' => $secret ), false, $network );
			if ( is_wp_error( $saved ) ) {
				return $saved;
			}
		}
		// A second of slack: a delivery racing the click still counts.
		Onboarding::update( array( 'webhook_since' => time() - 1 ), $network );
		$response = self::webhook_status( $request );
		$response->set_data( $response->get_data() + array( 'config' => self::config( $request ) ) );
		return $response;
	}

	/**
	 * GET: whether a delivery arrived since listening began — the last one
	 * the ledger recorded (Webhooks\Ledger), else the last one refused for
	 * its signature (the secret differs from WorkOS's). The tables are the
	 * network's, so the network's wizard sees every delivery too.
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public static function webhook_status( \WP_REST_Request $request ): \WP_REST_Response {
		global $wpdb;
		$network = self::network( $request );
		$state   = Onboarding::state( $network );
		$since = $state['webhook_since'];
		$out   = array(
			'listening' => $since > 0,
			'since'     => $since > 0 ? gmdate( 'c', $since ) : null,
			'received'  => null,
			'rejected'  => null,
			'secretSet' => '' !== Settings::get( 'webhook_secret' ),
		);
		if ( $since > 0 ) {
			Schema::ensure();
			$from  = gmdate( 'Y-m-d H:i:s', $since );
			$event = $wpdb->get_row( $wpdb->prepare( 'SELECT event_type, status, outcome, received_at FROM ' . Schema::table( 'events' ) . ' WHERE received_at >= %s ORDER BY received_at DESC LIMIT 1', $from ), ARRAY_A ); // phpcs:ignore WordPress.DB
			if ( $event ) {
				$out['received'] = array(
					'event'   => (string) $event['event_type'],
					'status'  => (string) $event['status'],
					'outcome' => (string) $event['outcome'],
					'at'      => gmdate( 'c', (int) strtotime( $event['received_at'] . ' UTC' ) ),
				);
				if ( ! in_array( 'webhook', $state['done'], true ) ) {
					Onboarding::update( array( 'done' => array_merge( $state['done'], array( 'webhook' ) ) ), $network );
				}
			} else {
				$refused = $wpdb->get_row( $wpdb->prepare( 'SELECT created_at FROM ' . Schema::table( 'activity_log' ) . ' WHERE type = %s AND created_at >= %s ORDER BY id DESC LIMIT 1', 'webhook_rejected', $from ), ARRAY_A ); // phpcs:ignore WordPress.DB
				if ( $refused ) {
					$out['rejected'] = array( 'at' => gmdate( 'c', (int) strtotime( $refused['created_at'] . ' UTC' ) ) );
				}
			}
		}
		return new \WP_REST_Response( $out, 200 );
	}

	/**
	 * GET: WorkOS role slugs to map — those the organization's members
	 * hold, WorkOS's default `admin` and `member`, and the mapped ones.
	 */
	public static function role_slugs(): \WP_REST_Response {
		$slugs = array( 'admin', 'member' );
		$org   = Settings::get( 'organization_id' );
		$error = '';
		if ( '' !== $org && ! is_wp_error( self::client() ) ) {
			try {
				$page = Api::client()->listOrganizationMemberships(
					array(
						'organization_id' => $org,
						'limit'           => 100,
					)
				);
				foreach ( (array) ( $page['data'] ?? array() ) as $membership ) {
					if ( is_string( $membership['role']['slug'] ?? null ) ) {
						$slugs[] = $membership['role']['slug'];
					}
				}
			} catch ( \WorkOS\Native\Exception $e ) {
				$error = $e->getMessage(); // Suggestions only: the defaults still help.
			}
		}
		$slugs = array_values( array_unique( array_merge( $slugs, array_map( 'strval', array_keys( Settings::map( 'role_map' ) ) ) ) ) );
		return new \WP_REST_Response(
			array(
				'slugs' => $slugs,
				'error' => $error,
			),
			200
		);
	}

	/**
	 * POST: the role map (`role_map`: [{from, to}]) and the default role.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function roles( \WP_REST_Request $request ) {
		$rows = $request->get_param( 'role_map' );
		$map  = array();
		foreach ( is_array( $rows ) ? $rows : array() as $row ) {
			$from = is_array( $row ) && is_scalar( $row['from'] ?? null ) ? trim( (string) $row['from'] ) : '';
			$to   = is_array( $row ) && is_scalar( $row['to'] ?? null ) ? trim( (string) $row['to'] ) : '';
			if ( '' !== $from ) {
				$map[ $from ] = $to;
			}
		}
		$values = array( 'role_map' => $map );
		if ( null !== $request->get_param( 'default_role' ) ) {
			$values['default_role'] = (string) $request->get_param( 'default_role' );
		}
		// Roles are each site's own: the network's wizard sets the main site's.
		$saved = self::save( $values, false, self::network( $request ) );
		if ( is_wp_error( $saved ) ) {
			return $saved;
		}
		self::advance( 'roles', self::network( $request ) );
		return new \WP_REST_Response( array( 'config' => self::config( $request ) ), 200 );
	}

	/**
	 * GET: how many users are linked to WorkOS and how many are not (of a
	 * `role`, optionally; on the network's wizard, every user of the network).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function sync_count( \WP_REST_Request $request ) {
		$role = self::sync_role( $request );
		if ( is_wp_error( $role ) ) {
			return $role;
		}
		return new \WP_REST_Response(
			array(
				'unlinked' => self::count_users( $role, false, self::network( $request ) ),
				'linked'   => self::count_users( $role, true, self::network( $request ) ),
			),
			200
		);
	}

	/**
	 * POST: pushes the next batch of unlinked users to WorkOS (Cli\Sync::push,
	 * the `workos sync push` command: a WorkOS user is created, or one with
	 * the same *verified* email is linked). Users that fail stay unlinked and
	 * ordered first, so `offset` (the failures so far) skips them; the answer
	 * says where the next batch starts and how many are left.
	 *
	 * @param \WP_REST_Request $request Request: offset, role.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function sync_batch( \WP_REST_Request $request ) {
		$client = self::client();
		if ( is_wp_error( $client ) ) {
			return $client;
		}
		$role = self::sync_role( $request );
		if ( is_wp_error( $role ) ) {
			return $role;
		}
		$network = self::network( $request );
		$offset  = max( 0, (int) $request->get_param( 'offset' ) );
		$ids     = get_users( self::unlinked_query( $role, $network ) + array( 'fields' => 'ID', 'number' => self::SYNC_BATCH, 'offset' => $offset ) );
		$rows    = array();
		if ( $ids ) {
			$push = array(
				'include' => array_map( 'intval', $ids ),
				'limit'   => self::SYNC_BATCH,
			);
			if ( $network ) {
				$push['network'] = true; // Users of any site of the network, not only the main site's.
			}
			try {
				$result = Sync::push( array(), $push );
			} catch ( CommandError $e ) {
				return new \WP_Error( 'workos_sync_failed', $e->getMessage(), array( 'status' => 502 ) );
			}
			foreach ( $result->rows as $row ) {
				$rows[] = array(
					'id'     => (int) $row['ID'],
					'email'  => (string) $row['user_email'],
					'result' => (string) $row['result'],
					'reason' => (string) $row['reason'],
				);
			}
		}
		$linked    = 0;
		$not_again = 0;
		foreach ( $ids as $id ) {
			if ( '' !== (string) get_user_meta( (int) $id, Users::META_ID, true ) ) {
				++$linked;
			} else {
				++$not_again;
			}
		}
		$remaining = max( 0, self::count_users( $role, false, $network ) - $offset - $not_again );
		$done      = ! $ids || 0 === $remaining;
		if ( $done ) {
			self::advance( 'sync', $network );
		}
		return new \WP_REST_Response(
			array(
				'processed' => count( $ids ),
				'linked'    => $linked,
				'problems'  => $rows,
				'offset'    => $offset + $not_again,
				'remaining' => $remaining,
				'done'      => $done,
			),
			200
		);
	}

	/**
	 * Stores settings through the Registry's validators, as the settings
	 * screen does: a value a constant sets is left to wp-config.php, a blank
	 * secret keeps the stored one, per-environment ones go to the active
	 * environment. A network's setting is refused on a site's wizard (403);
	 * the network's wizard stores it as a network option, and the per-site
	 * ones for the site it runs on (the main site).
	 *
	 * @param array<string, mixed> $values  Setting key => submitted value.
	 * @param bool                 $dry     Only validate.
	 * @param bool                 $network The network's wizard.
	 * @return array|\WP_Error The values as they are (or would be) stored, key => value, or why one was refused.
	 */
	public static function save( array $values, bool $dry = false, bool $network = false ) {
		$env    = Settings::environment();
		$stores = array(
			'site'    => get_option( Settings::OPTION, array() ),
			'network' => $network ? get_site_option( Settings::OPTION, array() ) : array(),
		);
		$stores = array_map( static fn( $o ) => is_array( $o ) ? $o : array(), $stores );
		$typed  = array();
		foreach ( $values as $key => $raw ) {
			if ( ! isset( Registry::SETTINGS[ $key ] ) || false === ( Registry::SETTINGS[ $key ]['stored'] ?? true ) ) {
				return new \WP_Error( 'workos_unknown_setting', __( 'That setting cannot be changed here.', 'workos' ), array( 'status' => 400 ) );
			}
			$setting = Registry::setting( $key );
			$where   = Settings::is_network( $key ) ? 'network' : 'site';
			if ( 'network' === $where && ! $network ) {
				/* translators: %s: setting name. */
				return new \WP_Error( 'workos_network_setting', sprintf( __( '%s is set by the network administrator (Network Admin → Settings → WorkOS).', 'workos' ), $setting->label ), array( 'status' => 403 ) );
			}
			if ( Settings::locked( $key, $env ) ) {
				continue; // wp-config.php decides; the wizard shows it as set there.
			}
			$value = Validator::check( $setting, $raw );
			if ( is_wp_error( $value ) ) {
				return new \WP_Error(
					'workos_invalid_setting',
					$value->get_error_message(),
					array(
						'status'  => 400,
						'setting' => $key,
					)
				);
			}
			if ( $setting->secret && '' === $value ) {
				continue;
			}
			$typed[ $key ] = $value;
			if ( $setting->per_environment ) {
				$stores[ $where ]['environments'][ $env ][ $key ] = $value;
			} else {
				$stores[ $where ][ $key ] = $value;
			}
		}
		if ( ! $dry ) {
			$touched = array_unique( array_map( static fn( string $key ): bool => Settings::is_network( $key ), array_keys( $typed ) ) );
			foreach ( $touched as $to_network ) {
				Settings::write( $to_network, $stores[ $to_network ? 'network' : 'site' ] );
			}
		}
		return $typed;
	}

	/**
	 * A step is done: it is marked so and the wizard resumes at the next one.
	 *
	 * @param string $step    One of Onboarding::STEPS.
	 * @param bool   $network The network's wizard.
	 */
	private static function advance( string $step, bool $network ): void {
		$state = Onboarding::state( $network );
		$at    = (int) array_search( $step, Onboarding::STEPS, true );
		$next  = Onboarding::STEPS[ min( $at + 1, count( Onboarding::STEPS ) - 1 ) ];
		Onboarding::update(
			array(
				'done' => array_values( array_unique( array_merge( $state['done'], array( $step ) ) ) ),
				'step' => $next, // The owner was on that step: the next one is where to resume.
			),
			$network
		);
	}

	/**
	 * The app's configuration, refreshed.
	 *
	 * @param \WP_REST_Request $request Request (whose wizard).
	 */
	private static function config( \WP_REST_Request $request ): array {
		return Onboarding::config( self::network( $request ) );
	}

	/**
	 * The WorkOS client, or why WorkOS cannot be asked yet.
	 *
	 * @return \WorkOS\Native\Client|\WP_Error
	 */
	private static function client() {
		if ( ! extension_ready() ) {
			return new \WP_Error( 'workos_extension_missing', __( 'The workos PHP extension is not loaded.', 'workos' ), array( 'status' => 503 ) );
		}
		if ( ! Settings::is_configured() ) {
			return new \WP_Error( 'workos_not_configured', __( 'Save working credentials first (step 1).', 'workos' ), array( 'status' => 409 ) );
		}
		return Api::client();
	}

	/**
	 * A failed WorkOS call, said plainly.
	 *
	 * @param \WorkOS\Native\Exception $e     The failure.
	 * @param string                   $what  What could not be done.
	 */
	private static function api_error( \WorkOS\Native\Exception $e, string $what ): \WP_Error {
		$status = $e instanceof \WorkOS\Native\ApiException && $e->isTransient() ? 503 : 502;
		/* translators: 1: what could not be done, 2: WorkOS's answer. */
		return new \WP_Error( 'workos_api_error', sprintf( __( '%1$s: %2$s', 'workos' ), $what, $e->getMessage() ), array( 'status' => $status ) );
	}

	/**
	 * The sync's role filter ('' for every user). None on the network's
	 * wizard: roles are each site's, and its sync is the network's users.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return string|\WP_Error
	 */
	private static function sync_role( \WP_REST_Request $request ) {
		if ( self::network( $request ) ) {
			return '';
		}
		$role = sanitize_key( (string) $request->get_param( 'role' ) );
		if ( '' !== $role && ! wp_roles()->is_role( $role ) ) {
			/* translators: %s: role name. */
			return new \WP_Error( 'workos_unknown_role', sprintf( __( 'There is no role "%s".', 'workos' ), $role ), array( 'status' => 400 ) );
		}
		return $role;
	}

	/**
	 * The users not linked to WorkOS, in the order the sync pushes them.
	 *
	 * @param string $role    Role filter ('' for all).
	 * @param bool   $network Every user of the network (blog_id 0), not only this site's.
	 */
	private static function unlinked_query( string $role, bool $network ): array {
		$query = array(
			'orderby'    => 'ID',
			'order'      => 'ASC',
			'meta_query' => array( // phpcs:ignore WordPress.DB.SlowDBQuery
				array(
					'key'     => Users::META_ID,
					'compare' => 'NOT EXISTS',
				),
			),
		);
		if ( '' !== $role ) {
			$query['role'] = $role;
		}
		if ( $network ) {
			$query['blog_id'] = 0;
		}
		return $query;
	}

	/**
	 * How many users are (not) linked.
	 *
	 * @param string $role    Role filter ('' for all).
	 * @param bool   $linked  Linked ones, or the others.
	 * @param bool   $network Every user of the network.
	 */
	private static function count_users( string $role, bool $linked, bool $network ): int {
		$query                              = self::unlinked_query( $role, $network );
		$query['meta_query'][0]['compare'] = $linked ? 'EXISTS' : 'NOT EXISTS';
		$query['fields']                    = 'ID';
		$query['number']                    = 1;
		$query['count_total']               = true;
		$found                              = new \WP_User_Query( $query );
		return (int) $found->get_total();
	}
}

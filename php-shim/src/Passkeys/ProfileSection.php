<?php
/**
 * Users → Profile: the "Passkeys" section where a user lists, adds and
 * removes their own passkeys.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Passkeys;

use const WorkOS_WP\PLUGIN_FILE;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Loaded on profile.php only (the user's own profile: another user's
 * passkeys are theirs to manage). The list is rendered on the server; the
 * script (php-shim/js/passkey) adds and removes through Rest.
 */
final class ProfileSection {

	/** The built script's folder, relative to the plugin. */
	public const BUILD_DIR = 'js/passkey/build/';

	/**
	 * load-profile.php: hooks the section and its script when passkeys are on
	 * somewhere or the user already has some (so they can remove them).
	 */
	public static function load(): void {
		if ( ! extension_ready() ) {
			return;
		}
		$user_id = get_current_user_id();
		if ( ! Rest::enabled_anywhere() && ! Store::for_user( $user_id ) ) {
			return;
		}
		add_action( 'show_user_profile', array( self::class, 'render' ), 20 );
		add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
	}

	/**
	 * admin_enqueue_scripts (profile.php only).
	 */
	public static function enqueue(): void {
		$dir   = dirname( PLUGIN_FILE ) . '/' . self::BUILD_DIR;
		$asset = is_readable( $dir . 'index.asset.php' ) ? include $dir . 'index.asset.php' : null;
		if ( ! is_array( $asset ) ) {
			return; // Not built (scripts/js-build.sh): the list still shows.
		}
		$url = plugins_url( self::BUILD_DIR, PLUGIN_FILE );
		wp_enqueue_script( 'workos-passkeys', $url . 'index.js', $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( 'workos-passkeys', 'workos' );
		if ( is_readable( $dir . 'index.css' ) ) {
			wp_enqueue_style( 'workos-passkeys', $url . 'index.css', array(), $asset['version'] );
		}
	}

	/**
	 * show_user_profile: the section.
	 *
	 * @param \WP_User $user The user (always the current one on profile.php).
	 */
	public static function render( \WP_User $user ): void {
		if ( get_current_user_id() !== $user->ID ) {
			return;
		}
		$linked   = '' !== Store::linked_workos_id( $user->ID );
		$can_add  = $linked && Rest::enabled_anywhere();
		$passkeys = array_map( array( Store::class, 'public_view' ), Store::for_user( $user->ID ) );
		?>
		<h2 id="workos-passkeys-heading"><?php esc_html_e( 'Passkeys', 'workos' ); ?></h2>
		<div id="workos-passkeys" class="workos-passkeys" data-rest-base="<?php echo esc_url( rest_url( 'workos/v1/auth/passkey/' ) ); ?>" data-nonce="<?php echo esc_attr( wp_create_nonce( 'wp_rest' ) ); ?>" data-can-add="<?php echo $can_add ? '1' : '0'; ?>" data-passkeys="<?php echo esc_attr( (string) wp_json_encode( $passkeys ) ); ?>">
			<p class="description">
				<?php esc_html_e( 'A passkey lets you sign in with your fingerprint, face, screen lock or security key instead of a password. It is kept on your device; this site keeps only its public key.', 'workos' ); ?>
			</p>
			<?php if ( ! $linked ) : ?>
				<p class="workos-passkeys-note"><?php esc_html_e( 'Only accounts linked to WorkOS can add passkeys. Sign in with WorkOS once, then come back here.', 'workos' ); ?></p>
			<?php endif; ?>
			<table class="widefat striped workos-passkeys-table" aria-labelledby="workos-passkeys-heading">
				<thead>
					<tr>
						<th scope="col"><?php esc_html_e( 'Name', 'workos' ); ?></th>
						<th scope="col"><?php esc_html_e( 'Added', 'workos' ); ?></th>
						<th scope="col"><?php esc_html_e( 'Last used', 'workos' ); ?></th>
						<th scope="col"><span class="screen-reader-text"><?php esc_html_e( 'Actions', 'workos' ); ?></span></th>
					</tr>
				</thead>
				<tbody>
					<?php if ( ! $passkeys ) : ?>
						<tr class="workos-passkeys-empty"><td colspan="4"><?php esc_html_e( 'You have no passkeys yet.', 'workos' ); ?></td></tr>
					<?php endif; ?>
					<?php foreach ( $passkeys as $passkey ) : ?>
						<tr data-id="<?php echo esc_attr( $passkey['id'] ); ?>">
							<td><?php echo esc_html( $passkey['name'] ); ?></td>
							<td><?php echo esc_html( self::date( $passkey['created'] ) ); ?></td>
							<td><?php echo esc_html( $passkey['last_used'] ? self::date( $passkey['last_used'] ) : __( 'Never', 'workos' ) ); ?></td>
							<td></td>
						</tr>
					<?php endforeach; ?>
				</tbody>
			</table>
		</div>
		<?php
	}

	/**
	 * A timestamp in the site's date format.
	 *
	 * @param int $time Unix time.
	 */
	private static function date( int $time ): string {
		return (string) wp_date( (string) get_option( 'date_format' ), $time );
	}
}
